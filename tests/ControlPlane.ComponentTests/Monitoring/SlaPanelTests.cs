using Bunit;
using ControlPlane.Core.Monitoring;
using ControlPlane.Core.Monitoring.Sla;
using ControlPlane.Web.Components.Monitoring;

namespace ControlPlane.ComponentTests.Monitoring;

/// <summary>The SLA panel: a percentage of judged days per SLA, the 30-day strip and the misses, newest first.</summary>
public sealed class SlaPanelTests : CoreTestContext
{
    private static readonly DateOnly First = new(2026, 11, 1);

    private static SlaAdherence Kind(string kind, Func<int, bool?> met) => SlaAdherenceService.Of(kind,
        Enumerable.Range(0, 30).Select(i => new SlaDay(First.AddDays(i), met(i), met(i) == false ? $"miss {i}" : "ok")).ToList());

    [Fact]
    public void Each_sla_shows_its_adherence_its_days_and_its_misses()
    {
        IReadOnlyList<SlaAdherence> adherence =
        [
            Kind(SlaKinds.ModelAge, _ => true),
            Kind(SlaKinds.BatchDeadline, i => i is 3 or 20 ? false : i < 10 ? null : true),
            Kind(SlaKinds.PredictLatency, _ => null),
        ];

        var cut = Render<SlaPanel>(p => p.Add(x => x.EnrollmentId, Guid.NewGuid()).Add(x => x.Adherence, adherence));

        Assert.Equal(["100 %", "90.5 %", "not judged"], cut.FindAll("[data-sla-percent]").Select(e => e.TextContent.Trim()));
        var batch = cut.Find($"[data-sla='{SlaKinds.BatchDeadline}']");
        Assert.Equal(30, batch.QuerySelectorAll("[data-sla-day]").Length);
        Assert.Equal(2, batch.QuerySelectorAll("[data-sla-day='missed']").Length);
        Assert.Equal(9, batch.QuerySelectorAll("[data-sla-day='none']").Length);
        Assert.Equal(["2026-11-21 · miss 20", "2026-11-04 · miss 3"], batch.QuerySelectorAll("[data-sla-miss]").Select(e => e.TextContent.Trim()));
        Assert.Contains("19 of 21 judged days met", batch.TextContent);
    }

    [Fact]
    public void Without_given_adherence_it_reads_the_enrollments_results()
    {
        var cut = Render<SlaPanel>(p => p.Add(x => x.EnrollmentId, Guid.NewGuid()));

        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("[data-sla]").Count));
        Assert.All(cut.FindAll("[data-sla-percent]"), e => Assert.Equal("not judged", e.TextContent.Trim()));
    }
}
