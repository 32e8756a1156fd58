// The Benchmark target (./build.sh Benchmark [--quick]): the kit's figures next to the original script's, measured side by
// side in one run (these machines are noisy: compare the ratios, not the absolute times). The table is printed and written
// to artifacts/benchmark.json. --quick skips the emulator's rows; --only SECTION[,SECTION] runs some sections of the table
// (critical-path, scale, emulator, start-up).
using PipelineKit.Benchmarks;

var quick = args.Contains("--quick");
var only = args.SkipWhile(a => a != "--only").Skip(1).FirstOrDefault()?.Split(',') ?? [];
bool Runs(string section) => only.Length == 0 ? section != "emulator" || !quick : only.Contains(section);
var root = RepositoryRoot.Find(Directory.GetCurrentDirectory());
var table = new BenchmarkTable(Console.Out);
var machine = MachineLoad.Describe();
table.Progress($"Benchmark on {machine["cores"]} cores, load {machine["loadBefore"]}{(quick ? " (--quick: no emulator rows)" : "")}");

var fake = new FakeCloudRows(table);
if (Runs("critical-path")) await fake.AddCriticalPathAsync(Topology.Standard);
if (Runs("scale")) await fake.AddScaleAsync(new Topology(300, 4));
// Start-up before the emulator: its cold synthesis must be the first start of the CDK in this process.
if (Runs("start-up")) await new StartupRows(table, root).AddAsync();
if (Runs("emulator")) await new EmulatorRows(table, root).AddAsync(new Topology(10, 3));

machine["loadAfter"] = MachineLoad.Now();
table.Print();
var output = Path.Combine(root, "artifacts", "benchmark.json");
table.Write(output, machine);
Console.WriteLine($"Written to {Path.GetRelativePath(root, output)}; load {machine["loadBefore"]} before, {machine["loadAfter"]} after.");
// A missed goal is a finding to read in the table, not a failed build: these machines are too noisy for timed verdicts.
if (!table.AllGoalsMet) Console.WriteLine("Some goals were missed on this run: see (MISSED) above.");
return 0;
