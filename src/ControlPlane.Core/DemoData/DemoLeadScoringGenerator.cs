namespace ControlPlane.Core.DemoData;

internal sealed class DemoLeadScoringGenerator : IDemoUseCaseGenerator
{
    public string Key => DemoUseCaseKeys.LeadScoring;

    public DemoDataset Generate(DemoGenerationContext context)
    {
        var model = DemoLeadScoringModel.Create(context.Profile, context.Style.Segment, context.Region);
        var drifted = model.Drift(context.Options.ConceptDrift);
        var table = new DemoDatasetBuilder(context, DemoLeadScoringSchema.Columns(context.Region));
        int size = table.Column("company_size"), industry = table.Column("industry"), country = table.Column("country");
        int source = table.Column("lead_source"), pages = table.Column("pages_viewed"), emails = table.Column("emails_opened");
        int days = table.Column("days_since_first_touch"), demo = table.Column("has_demo_request");
        int seniority = table.Column("title_seniority"), label = table.Column("converted");

        var rng = context.Rows;
        var scores = new double[context.Options.Rows];
        for (var i = 0; i < scores.Length; i++)
        {
            var m = context.IsDrifted(i) ? drifted : model;
            var f = m.Sample(rng);
            scores[i] = m.Score(f);
            table.Number(i, size, f.CompanySize);
            table.Category(i, industry, DemoLeadScoringSchema.Industries[f.Industry]);
            table.Category(i, country, m.Country.Values[f.Country]);
            table.Category(i, source, DemoLeadScoringSchema.Sources[f.Source]);
            table.Number(i, pages, f.Pages);
            table.Number(i, emails, f.Emails);
            table.Number(i, days, f.Days);
            table.Flag(i, demo, f.Demo);
            table.Category(i, seniority, DemoLeadScoringSchema.Seniorities[f.Seniority]);
        }

        DemoBinaryLabels.Write(table, label, scores, model.BaseRate, context);
        return table.Build(
            DemoTaskKind.BinaryClassification, model.BaseRate, ["lead_source", "pages_viewed", "company_size"]);
    }
}
