namespace ControlPlane.Core.DemoData;

/// <summary>Subject templates and body sentences for one ticket intent; "{slot}" placeholders get filled per ticket.</summary>
internal sealed record DemoIntentPhrases(string[] Subjects, string[] Sentences);
