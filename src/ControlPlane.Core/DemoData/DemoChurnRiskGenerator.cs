namespace ControlPlane.Core.DemoData;

internal sealed class DemoChurnRiskGenerator : IDemoUseCaseGenerator
{
    public string Key => DemoUseCaseKeys.ChurnRisk;

    public DemoDataset Generate(DemoGenerationContext context)
    {
        var model = DemoChurnRiskModel.Create(context.Profile, context.Style.Segment);
        var drifted = model.Drift(context.Options.ConceptDrift);
        var table = new DemoDatasetBuilder(context, DemoChurnRiskSchema.Columns());
        int seats = table.Column("seats"), spend = table.Column("monthly_spend"), logins = table.Column("logins_30d");
        int tickets = table.Column("support_tickets_90d"), nps = table.Column("nps_score"), plan = table.Column("plan");
        int tenure = table.Column("tenure_months"), failures = table.Column("payment_failures");
        int lastLogin = table.Column("last_login_days"), label = table.Column("churned");

        var rng = context.Rows;
        var scores = new double[context.Options.Rows];
        for (var i = 0; i < scores.Length; i++)
        {
            var m = context.IsDrifted(i) ? drifted : model;
            var f = m.Sample(rng);
            scores[i] = m.Score(f);
            table.Number(i, seats, f.Seats);
            table.Number(i, spend, f.MonthlySpend);
            table.Number(i, logins, f.Logins);
            table.Number(i, tickets, f.Tickets);
            table.Number(i, nps, f.Nps);
            table.Category(i, plan, DemoChurnRiskSchema.Plans[f.Plan]);
            table.Number(i, tenure, f.TenureMonths);
            table.Number(i, failures, f.PaymentFailures);
            table.Number(i, lastLogin, f.LastLoginDays);
        }

        DemoBinaryLabels.Write(table, label, scores, model.BaseRate, context);
        return table.Build(DemoTaskKind.BinaryClassification, model.BaseRate, ["logins_30d", "monthly_spend", "plan"]);
    }
}
