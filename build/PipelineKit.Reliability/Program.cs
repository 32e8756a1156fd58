// The reliability report: ./build.sh ReliabilityReport. Every scenario runs the kit's foundation targets through a
// fault-injecting proxy in front of the emulator, then checks that the kit converged. See README.md, "Reliability report".
using PipelineKit.Reliability;
using PipelineKit.Reliability.Runner;

if (args.Length > 0 && args[0] == KitRun.Mode) return KitRun.Run(args[1..]);
return await ReliabilityReport.RunAsync(args).ConfigureAwait(false);
