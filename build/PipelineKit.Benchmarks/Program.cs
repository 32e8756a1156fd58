// The Benchmark target (./build.sh Benchmark [--quick]): the kit's figures next to the original script's, measured side by
// side in one run (these machines are noisy: compare the ratios, not the absolute times). The table is printed and written
// to artifacts/benchmark.json. --quick skips the rows that need the emulator and ./build.sh child processes.
using PipelineKit.Benchmarks;

var quick = args.Contains("--quick");
var root = RepositoryRoot.Find(Directory.GetCurrentDirectory());
var table = new BenchmarkTable(Console.Out);
var machine = MachineLoad.Describe();
table.Progress($"Benchmark on {machine["cores"]} cores, load {machine["loadBefore"]}{(quick ? " (--quick: no emulator rows)" : "")}");

var fake = new FakeCloudRows(table);
await fake.AddCriticalPathAsync(Topology.Standard);
await fake.AddScaleAsync(new Topology(300, 4));
if (!quick) await new EmulatorRows(table, root).AddAsync(new Topology(10, 3));
await new StartupRows(table, root).AddAsync();

machine["loadAfter"] = MachineLoad.Now();
table.Print();
var output = Path.Combine(root, "artifacts", "benchmark.json");
table.Write(output, machine);
Console.WriteLine($"Written to {Path.GetRelativePath(root, output)}; load {machine["loadBefore"]} before, {machine["loadAfter"]} after.");
return table.AllGoalsMet ? 0 : 1;
