using ControlPlane.Benchmarks;
using ControlPlane.Benchmarks.Scenarios;

// The benchmark harness: each scenario measures its operations against a floor measured in the same run
// and writes ratios (not absolute times alone) to docs/benchmarks.md.
//   dotnet run -c Release --project tests/ControlPlane.Benchmarks -- [scenario ...] [--postgres "<connection string>"] [--no-write] [--tenants N (retrain-all)]
IScenario[] all = [new TenantsListScenario(), new ExecutorScenario(), new RunHistoryScenario(), new IngestParseScenario(), new IngestScenario(), new RulesScenario(), new TrainingQualityScenario(), new ModelQualityRealScenario(), new RetrainAllScenario(), new ServingMemoryScenario(), new ServingHttpScenario(), new BatchScoringScenario(), new DriftScenario(), new ControlPlane.Benchmarks.RealData.DriftNoiseScenario(), new DriftReadScenario(), new MonitorSweepScenario(), new PeriodsScenario(), new HomeMatrixScenario(), new RetentionScenario(), new FailoverScenario()];
return await BenchmarkRunner.RunAsync(all, args);
