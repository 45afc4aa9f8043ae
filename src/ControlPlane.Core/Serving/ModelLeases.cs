using ControlPlane.ML.Rules;
using ControlPlane.ML.Training;

namespace ControlPlane.Core.Serving;

/// <summary>
/// What one predict request scores with, rented from the <see cref="ModelCache"/> and disposed when the request is
/// done: the columns rows are read into, and the scoring. Not for several threads at once.
/// </summary>
public interface IServingLease : IDisposable
{
    /// <summary>The raw columns (names and types, in order) rows are read into.</summary>
    IReadOnlyList<RawColumn> InputColumns { get; }

    /// <summary>The raw columns a row must bring: those the features read.</summary>
    IReadOnlyList<string> RequiredColumns { get; }

    /// <summary>Number columns read as exact text (a numeric entity key).</summary>
    IReadOnlyCollection<string> IdentifierColumns { get; }

    /// <summary>The report of the model that scores.</summary>
    ModelReport Report { get; }

    /// <summary>Every row of <paramref name="rows"/> (a table of <see cref="InputColumns"/>) scored.</summary>
    IReadOnlyList<ModelScore> Score(RawTable rows);

    /// <summary>Each row's feature contributions; null when the model gives none (see <see cref="TrainedModel.Explain"/>).</summary>
    IReadOnlyList<RowExplanation>? Explain(RawTable rows);

    /// <summary>
    /// Whatever the caller worked out once from <see cref="InputColumns"/> to read rows faster (the predict route keeps
    /// its column lookup here); held by the cached entry, so it lives and leaves with the model.
    /// </summary>
    object? ReaderState { get; set; }
}

/// <summary>One model version's scorer, rented for one request; dispose to give the scorer back.</summary>
public sealed class ModelLease : IServingLease
{
    private readonly ModelCache.ModelEntry _entry;
    private bool _returned;

    internal ModelLease(ModelCache.ModelEntry entry, ModelRowScorer scorer)
    {
        _entry = entry;
        Scorer = scorer;
    }

    public Guid VersionId => _entry.VersionId;
    public TrainedModel Model => _entry.Model;
    public ModelRowScorer Scorer { get; }

    IReadOnlyList<RawColumn> IServingLease.InputColumns => Model.InputColumns;
    IReadOnlyList<string> IServingLease.RequiredColumns => Model.RequiredColumns;
    IReadOnlyCollection<string> IServingLease.IdentifierColumns => Model.IdentifierColumns;
    ModelReport IServingLease.Report => Model.Report;

    IReadOnlyList<ModelScore> IServingLease.Score(RawTable rows)
    {
        var scores = new ModelScore[rows.RowCount];
        for (var r = 0; r < scores.Length; r++)
        {
            scores[r] = Scorer.Score(rows, r);
        }

        return scores;
    }

    IReadOnlyList<RowExplanation>? IServingLease.Explain(RawTable rows) => Model.Explain(rows);

    object? IServingLease.ReaderState
    {
        get => _entry.ReaderState;
        set => _entry.ReaderState = value;
    }

    public void Dispose()
    {
        if (!_returned)
        {
            _returned = true;
            _entry.Return(Scorer);
        }
    }
}

/// <summary>
/// A pooled version's scorer for one tenant's rows, rented for one request: rows in the tenant's own column names are
/// mapped onto the pooled model's canonical columns by the tenant's fitted rules (<see cref="CanonicalMapping"/>), then
/// scored by the pooled model; each answer carries the entity key as the tenant's rules read it. Rows are checked
/// against the tenant's columns. Dispose to give the scorer and the mapper back.
/// </summary>
public sealed class PooledLease : IServingLease
{
    private readonly ModelLease _pooled;
    private readonly ModelCache.MappingEntry _mapping;
    private readonly CanonicalRowMapper _mapper;
    private (RawTable Rows, CanonicalRows Mapped)? _last;
    private bool _returned;

    internal PooledLease(ModelLease pooled, ModelCache.MappingEntry mapping, Guid mappingVersionId)
    {
        _pooled = pooled;
        _mapping = mapping;
        _mapper = mapping.Rent();
        MappingVersionId = mappingVersionId;
    }

    /// <summary>The pooled version that scores.</summary>
    public Guid VersionId => _pooled.VersionId;

    /// <summary>The tenant's own version whose fitted rules map the rows.</summary>
    public Guid MappingVersionId { get; }

    public TrainedModel Model => _pooled.Model;

    public IReadOnlyList<RawColumn> InputColumns => _mapping.Mapping.InputColumns;
    public IReadOnlyList<string> RequiredColumns => _mapping.Mapping.RequiredColumns;
    public IReadOnlyCollection<string> IdentifierColumns => _mapping.Mapping.IdentifierColumns;
    public ModelReport Report => Model.Report;

    /// <summary>The rows on the pooled model's columns (mapped once per table: explaining and scoring share it).</summary>
    public CanonicalRows Map(RawTable rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        if (_last is not { } last || !ReferenceEquals(last.Rows, rows))
        {
            last = (rows, _mapper.Map(rows));
            _last = last;
        }

        return last.Mapped;
    }

    public IReadOnlyList<ModelScore> Score(RawTable rows)
    {
        var mapped = Map(rows);
        var scores = new ModelScore[rows.RowCount];
        for (var r = 0; r < scores.Length; r++)
        {
            var score = _pooled.Scorer.Score(mapped.Table, r);
            scores[r] = score with { EntityKey = mapped.EntityKeys?[r] };
        }

        return scores;
    }

    public IReadOnlyList<RowExplanation>? Explain(RawTable rows) => Model.Explain(Map(rows).Table);

    /// <summary>Kept with the tenant's mapping, whose columns rows are read into.</summary>
    public object? ReaderState
    {
        get => _mapping.ReaderState;
        set => _mapping.ReaderState = value;
    }

    public void Dispose()
    {
        if (!_returned)
        {
            _returned = true;
            _mapping.Return(_mapper);
            _pooled.Dispose();
        }
    }
}
