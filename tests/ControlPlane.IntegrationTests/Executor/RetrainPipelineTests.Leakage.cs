using System.Text;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Registry;
using ControlPlane.Executor.Pipelines;
using ControlPlane.IntegrationTests.Infrastructure;
using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace ControlPlane.IntegrationTests.Executor;

public abstract partial class RetrainPipelineTests<TProvider>
{
    [Fact]
    public async Task A_leaking_column_is_named_with_its_evidence_alerted_and_never_promoted_automatically_but_an_analyst_may_with_a_reason()
    {
        using var admin = App.CreateAdminClient();
        var slug = TestSlugs.New("leak");
        (await admin.PostJsonAsync("/api/v1/tenants", new { name = $"Leak {slug}", slug, region = "us", useCases = new[] { UseCase } })).EnsureSuccessStatusCode();
        // "Closed Reason" is written when the account leaves: a copy of the label, 1 % of the entries wrong.
        var random = new Random(11);
        var csv = new StringBuilder("Account,As Of,Churned,Seats,Closed Reason\n");
        for (var i = 0; i < 600; i++)
        {
            var churned = random.NextDouble() < 0.3;
            var recorded = random.NextDouble() < 0.01 ? !churned : churned;
            csv.Append(FormattableString.Invariant($"a{i},{new DateTime(2026, 1, 1).AddHours(6 * i):yyyy-MM-ddTHH:mm:ssZ},{(churned ? "yes" : "no")},{random.Next(1, 50)},{(recorded ? "cancelled" : "none")}\n"));
        }

        await RetrainTenants.AddUploadAsync(App, slug, UseCase, "accounts.csv", Encoding.UTF8.GetBytes(csv.ToString()));
        var churn = Core.UseCases.BuiltInUseCases.All().Single(u => u.Key == UseCase);
        await RetrainTenants.SaveRulesAsync(App, slug, UseCase, new RuleSet
        {
            EntityKey = "Account", EventTime = "As Of", Label = new LabelRule { Source = "Churned" },
            Features = [new FeatureRule { Name = "seats", Source = "Seats" }, new FeatureRule { Name = "closed_reason", Source = "Closed Reason", Type = ML.FeatureType.Category }],
            Drop = churn.DefaultFeatures.Select(f => f.Name).Where(n => n != "seats").ToArray(),
        });

        var run = await admin.WaitFinishedAsync(await RetrainAsync(admin, slug), TimeSpan.FromMinutes(2));

        Assert.True(run.Run.State == Core.Pipelines.RunState.Succeeded, RunsClient.Describe(run));
        var v1 = await VersionAsync(slug, 1);
        var leak = v1.Report.Leakage!;
        Assert.True(leak.Suspected);
        Assert.True(v1.Summary.LeakSuspected);
        var finding = leak.Findings.First(f => f.Check == LeakChecks.SingleFeature);
        Assert.Equal("closed_reason", finding.Feature);
        Assert.True(finding.Value >= 0.98, $"single-feature AUC {finding.Value}");
        Assert.Matches(@"^'closed_reason' alone gives AUC (0\.9[89]\d|1\.000) on the \d+ validation rows \(suspect from 0\.980\): is it known only after the outcome\?$", finding.Message);
        Assert.Equal("closed_reason", leak.Signals[0].Feature);

        // Not promoted: the run says why, the alias history keeps it, an alert names the feature.
        Assert.DoesNotContain(AliasNames.Champion, v1.Summary.Aliases);
        Assert.StartsWith("v1 is challenger. Suspected leak, so not promoted automatically: 'closed_reason' alone gives AUC", run.Task(PromoteGateTask.Name).ProgressMessage);
        Assert.Contains("suspected leak", run.Task(TrainTask.Name).ProgressMessage, StringComparison.Ordinal);
        var alert = await App.WithDbAsync(db => db.Notifications.SingleAsync(n => n.Kind == AlertKinds.Leak && n.Link!.Contains(slug)));
        Assert.Equal($"Suspected leak: {slug} / {UseCase} v1 (closed_reason)", alert.Title);
        Assert.Contains("'closed_reason' alone gives AUC", alert.Message, StringComparison.Ordinal);
        Assert.Equal($"/tenants/{slug}/use-cases/{UseCase}/models/1", alert.Link);

        // An analyst who knows the column is set before the outcome may still promote it, with the reason kept.
        var byHand = await App.WithScopeAsync(s => s.GetRequiredService<ModelRegistry>().PromoteAsync(slug, UseCase, 1, AliasNames.Champion, "ana",
            "Closed Reason is filled in at the renewal call, before the outcome"));
        Assert.True(byHand.IsOk, byHand.Message);
        var history = (await App.WithScopeAsync(s => s.GetRequiredService<ModelRegistry>().HistoryAsync(slug, UseCase, AliasNames.Champion))).Value!;
        Assert.Equal("Closed Reason is filled in at the renewal call, before the outcome", Assert.Single(history).Reason);
    }
}
