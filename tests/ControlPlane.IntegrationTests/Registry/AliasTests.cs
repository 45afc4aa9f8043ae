using ControlPlane.Core.Common;
using ControlPlane.Core.Data;
using ControlPlane.Core.Registry;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static ControlPlane.IntegrationTests.Registry.ModelVersions;

namespace ControlPlane.IntegrationTests.Registry;

/// <summary>The promotion gate (from the comparisons made on validation), promote and rollback by hand, the alias history and "live at D".</summary>
public abstract class AliasTests<TProvider>(AppFixture<TProvider> fixture) : IClassFixture<AppFixture<TProvider>>
    where TProvider : IProviderKind
{
    private ControlPlaneApp App => fixture.App;

    [Fact]
    public async Task The_gate_promotes_the_first_a_better_and_one_within_noise_but_not_one_worse_beyond_noise()
    {
        var slug = await EnrollmentWithDatasetAsync(App, "us");

        var first = await GateAsync(slug, await RegisteredAsync(App, slug, 0.80));
        var better = await GateAsync(slug, await RegisteredAsync(App, slug, 0.82, (1, ComparisonVerdict.Better, RivalKinds.Champion)));
        var worse = await GateAsync(slug, await RegisteredAsync(App, slug, 0.80, (2, ComparisonVerdict.Worse, RivalKinds.Champion)));
        var within = await GateAsync(slug, await RegisteredAsync(App, slug, 0.815, (2, ComparisonVerdict.WithinNoise, RivalKinds.Champion)));

        Assert.True(first.Promoted, first.Reason);
        Assert.Contains("No champion yet", first.Reason);
        Assert.True(better.Promoted, better.Reason);
        Assert.Equal(1, better.Champion!.Number);
        Assert.Equal(ComparisonVerdict.Better, better.Verdict);
        Assert.Equal(new MetricInterval(0.01, 0.05), better.Difference);
        Assert.False(worse.Promoted, worse.Reason);
        Assert.Contains("Worse than the champion v2 beyond noise on the same 60 validation rows", worse.Reason);
        Assert.Equal(0.83, worse.ChampionValue!.Value, 6);
        Assert.True(within.Promoted, within.Reason);
        Assert.Contains("Within noise of the champion v2", within.Reason);

        var list = (await WithRegistryAsync(App, r => r.ListAsync(slug, UseCase))).Value!;
        Assert.Equal([(AliasNames.Challenger, 4), (AliasNames.Champion, 4)], list.Aliases.Select(a => (a.Name, a.Version.Number)));
        var history = (await WithRegistryAsync(App, r => r.HistoryAsync(slug, UseCase))).Value!;
        AssertChain(history);
        Assert.All(history, c => Assert.True(c.Automatic));
        Assert.Equal([1, 2, 4], history.Where(c => c.Alias == AliasNames.Champion).OrderBy(c => c.Sequence).Select(c => c.To.Number));
        Assert.Equal([1, 2, 3, 4], history.Where(c => c.Alias == AliasNames.Challenger).OrderBy(c => c.Sequence).Select(c => c.To.Number));
        Assert.Contains("beyond noise", history.Single(c => c.Alias == AliasNames.Challenger && c.To.Number == 3).Reason);
    }

    [Fact]
    public async Task A_version_within_noise_of_the_champion_but_worse_beyond_noise_than_a_recent_one_stays_challenger()
    {
        var slug = await EnrollmentWithDatasetAsync(App, "us");
        await GateAsync(slug, await RegisteredAsync(App, slug, 0.90));
        await GateAsync(slug, await RegisteredAsync(App, slug, 0.89, (1, ComparisonVerdict.WithinNoise, RivalKinds.Champion)));

        var third = await GateAsync(slug, await RegisteredAsync(App, slug, 0.88,
            (2, ComparisonVerdict.WithinNoise, RivalKinds.Champion), (1, ComparisonVerdict.Worse, RivalKinds.Recent)));

        Assert.False(third.Promoted, third.Reason);
        Assert.Contains("worse than the recent v1 beyond noise", third.Reason);
        var champion = (await WithRegistryAsync(App, r => r.ListAsync(slug, UseCase))).Value!.Aliases.Single(a => a.Name == AliasNames.Champion);
        Assert.Equal(2, champion.Version.Number);
    }

    [Fact]
    public async Task A_suspected_leak_stays_challenger_and_only_an_analyst_with_a_reason_promotes_it()
    {
        var slug = await EnrollmentWithDatasetAsync(App, "us");
        var leak = new LeakageReport(true, [new LeakFinding(LeakChecks.SingleFeature, "closed_reason", 0.995, 0.98, "'closed_reason' alone gives AUC 0.995.")], [], []);
        var number = (await RegisterAsync(App, slug, 0.99, report: Report(0.99) with { Leakage = leak })).Value!.Number;

        var gate = await GateAsync(slug, number);
        var byHand = await WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, number, AliasNames.Champion, "ana", "closed_reason is set when the ticket opens, not after"));

        Assert.False(gate.Promoted, gate.Reason);
        Assert.True(gate.LeakSuspected);
        Assert.StartsWith("Suspected leak, so not promoted automatically: 'closed_reason' alone", gate.Reason);
        Assert.True(byHand.IsOk, byHand.Message);
        var history = (await WithRegistryAsync(App, r => r.HistoryAsync(slug, UseCase, AliasNames.Champion))).Value!;
        Assert.Equal("closed_reason is set when the ticket opens, not after", history.Single().Reason);
        Assert.False(history.Single().Automatic);
    }

    [Fact]
    public async Task Analysts_promote_and_roll_back_with_a_reason_and_bad_moves_are_refused_with_the_field_named()
    {
        var slug = await EnrollmentWithDatasetAsync(App, "eu");
        var other = await EnrollmentWithDatasetAsync(App, "eu");
        var v1 = await RegisteredAsync(App, slug, 0.8);
        var v2 = await RegisteredAsync(App, slug, 0.7);
        var foreign = (await RegisterAsync(App, other, 0.9)).Value!;

        var noRollback = await WithRegistryAsync(App, r => r.RollbackAsync(slug, UseCase, "ana", "nothing to go back to"));
        var promote1 = await WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, v1, AliasNames.Champion, "ana", "first model"));
        var promote2 = await WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, v2, AliasNames.Champion, "ana", "  simpler trees  "));
        var again = await WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, v2, AliasNames.Champion, "ana", "once more"));
        var noReason = await WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, v1, AliasNames.Champion, "ana", " "));
        var badAlias = await WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, v1, "production", "ana", "why not"));
        var missing = await WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, 99, AliasNames.Champion, "ana", "why not"));
        var stolen = await WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, foreign.Id, AliasNames.Champion, "ana", "theirs is better"));
        var rollback = await WithRegistryAsync(App, r => r.RollbackAsync(slug, UseCase, "bob", "v2 mis-scores new accounts"));

        Assert.Contains("no previous champion", noRollback.Errors["alias"][0]);
        Assert.True(promote1.IsOk && promote2.IsOk);
        Assert.Equal(("simpler trees", 1, 2, false), (promote2.Value!.Reason, promote2.Value.From!.Number, promote2.Value.To.Number, promote2.Value.Automatic));
        Assert.Contains("already champion", again.Errors["version"][0]);
        Assert.Contains("needs a reason", noReason.Errors["reason"][0]);
        Assert.Contains("'champion' or 'challenger'", badAlias.Errors["alias"][0]);
        Assert.Equal(ResultStatus.NotFound, missing.Status);
        Assert.Contains($"belongs to tenant '{other}'", stolen.Errors["version"][0]);
        Assert.True(rollback.IsOk, rollback.Message);
        Assert.Equal((2, 1, "bob"), (rollback.Value!.From!.Number, rollback.Value.To.Number, rollback.Value.Actor));
        Assert.Equal("Rollback from v2 to v1: v2 mis-scores new accounts", rollback.Value.Reason);

        var history = (await WithRegistryAsync(App, r => r.HistoryAsync(slug, UseCase, AliasNames.Champion))).Value!;
        Assert.Equal([3, 2, 1], history.Select(c => c.Sequence));
        AssertChain(history);
        Assert.Empty((await WithRegistryAsync(App, r => r.HistoryAsync(other, UseCase))).Value!);
    }

    [Fact]
    public async Task Concurrent_promotes_leave_one_winner_per_move_and_a_consistent_history()
    {
        var slug = await EnrollmentWithDatasetAsync(App, "us");
        var numbers = new List<int>();
        for (var i = 0; i < 4; i++)
        {
            numbers.Add(await RegisteredAsync(App, slug, 0.7 + i / 100.0));
        }

        for (var round = 0; round < 3; round++)
        {
            // Task.Run: SQLite's provider completes synchronously, so without it the promotes would run one after another.
            var results = await Task.WhenAll(numbers.Select(n => Task.Run(() =>
                WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, n, AliasNames.Champion, $"analyst-{n}", $"round {round}")))));

            Assert.All(results, r => Assert.True(r.IsOk || r.Status is ResultStatus.Conflict or ResultStatus.Invalid, r.Message));
            Assert.Contains(results, r => r.IsOk);
            Assert.All(results.Where(r => r.Status == ResultStatus.Conflict), r => Assert.Contains("moved by someone else", r.Errors["alias"][0]));
        }

        var history = (await WithRegistryAsync(App, r => r.HistoryAsync(slug, UseCase, AliasNames.Champion))).Value!;
        AssertChain(history);
        var alias = await App.WithDbAsync(db => db.ModelAliases.SingleAsync(a => a.Enrollment!.Tenant!.Slug == slug && a.Name == AliasNames.Champion));
        var last = history.MaxBy(c => c.Sequence)!;
        Assert.Equal((last.Sequence, last.To.Id), (alias.Revision, alias.ModelVersionId));
    }

    [Fact]
    public async Task Two_promotes_that_read_the_same_champion_end_with_one_winner_and_one_conflict()
    {
        var slug = await EnrollmentWithDatasetAsync(App, "us");
        var v1 = await RegisteredAsync(App, slug, 0.8);
        var v2 = await RegisteredAsync(App, slug, 0.81);
        var v3 = await RegisteredAsync(App, slug, 0.82);
        Assert.True((await WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, v1, AliasNames.Champion, "ana", "first"))).IsOk);

        // Hold a write lock on the champion row: both promotes read revision 1, then queue behind the lock with their
        // update; once it is released, the first to write wins and the second finds the revision gone.
        Result<AliasChangeView>[] results;
        await using (var db = await App.Services.GetRequiredService<IDbContextFactory<ControlPlaneDbContext>>().CreateDbContextAsync())
        {
            await using var hold = await db.Database.BeginTransactionAsync();
            await db.ModelAliases.Where(a => a.Enrollment!.Tenant!.Slug == slug).ExecuteUpdateAsync(s => s.SetProperty(a => a.UpdatedBy, a => a.UpdatedBy));
            var promotes = new[] { v2, v3 }.Select(n => Task.Run(() =>
                WithRegistryAsync(App, r => r.PromoteAsync(slug, UseCase, n, AliasNames.Champion, $"analyst-{n}", "mine is better")))).ToArray();
            await Task.Delay(TimeSpan.FromSeconds(2));
            await hold.CommitAsync();
            results = await Task.WhenAll(promotes);
        }

        Assert.Single(results, r => r.IsOk);
        var conflict = Assert.Single(results, r => r.Status == ResultStatus.Conflict);
        Assert.Contains("moved by someone else", conflict.Errors["alias"][0]);
        var history = (await WithRegistryAsync(App, r => r.HistoryAsync(slug, UseCase, AliasNames.Champion))).Value!;
        Assert.Equal(2, history.Count);
        AssertChain(history);
        Assert.Equal(results.Single(r => r.IsOk).Value!.To.Number, history[0].To.Number);
    }

    [Fact]
    public async Task Live_at_a_date_is_nothing_before_the_first_move_then_whatever_the_last_move_before_it_set()
    {
        var slug = await EnrollmentWithDatasetAsync(App, "us");
        var v1 = await RegisteredAsync(App, slug, 0.8);
        var v2 = await RegisteredAsync(App, slug, 0.85, (1, ComparisonVerdict.Better, RivalKinds.Champion));
        await GateAsync(slug, v1);
        await Task.Delay(20);
        await GateAsync(slug, v2);
        await Task.Delay(20);
        await WithRegistryAsync(App, r => r.RollbackAsync(slug, UseCase, "ana", "v2 misbehaves"));
        var moves = (await WithRegistryAsync(App, r => r.HistoryAsync(slug, UseCase, AliasNames.Champion))).Value!.OrderBy(c => c.Sequence).ToArray();
        var tick = TimeSpan.FromMicroseconds(1);

        async Task<int?> LiveAt(DateTime at) => (await WithRegistryAsync(App, r => r.LiveAtAsync(slug, UseCase, at))).Value!.Version?.Number;

        Assert.Null(await LiveAt(moves[0].At - tick));
        Assert.Equal(1, await LiveAt(moves[0].At));
        Assert.Equal(1, await LiveAt(moves[1].At - tick));
        Assert.Equal(2, await LiveAt(moves[1].At));
        Assert.Equal(2, await LiveAt(moves[2].At - tick));
        Assert.Equal(1, await LiveAt(moves[2].At + TimeSpan.FromDays(30)));
        var challenger = await WithRegistryAsync(App, r => r.LiveAtAsync(slug, UseCase, moves[2].At, AliasNames.Challenger));
        Assert.Equal(2, challenger.Value!.Version!.Number);
    }

    private async Task<GateDecision> GateAsync(string slug, int number)
    {
        var result = await WithRegistryAsync(App, r => r.GateAsync(slug, UseCase, number, "test:retrain"));
        Assert.True(result.IsOk, result.Message);
        return result.Value!;
    }
}

public sealed class AliasTestsOnSqlite(AppFixture<Sqlite> fixture) : AliasTests<Sqlite>(fixture);

public sealed class AliasTestsOnPostgres(AppFixture<Postgres> fixture) : AliasTests<Postgres>(fixture);
