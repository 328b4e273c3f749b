namespace NewsSearch.Engine.Querying;

/// <summary>How a word repeated in a query counts.</summary>
public enum RepeatedWordWeight
{
    /// <summary>Once, however often it is repeated.</summary>
    None,
    /// <summary>1 + ln n for n occurrences (the default).</summary>
    Log,
    /// <summary>√n for n occurrences.</summary>
    Sqrt,
}

/// <summary>
/// The ranking knobs that relevance evaluation varies. <see cref="Default"/> is what the service ranks with; other
/// values exist so that `NewsSearch.Eval` can compare variants on one index without recompiling.
/// </summary>
public sealed record RankingSettings
{
    /// <summary>What the service ranks with.</summary>
    public static RankingSettings Default { get; } = new();

    /// <summary>Title weight relative to body for a pasted paragraph. Default <see cref="QueryBuilder.PastedTitleBoost"/>.</summary>
    public float PastedTitleBoost { get; init; } = QueryBuilder.PastedTitleBoost;

    /// <summary>Weight of a word that occurs n &gt; 1 times in the query. Default <see cref="RepeatedWordWeight.Log"/>.</summary>
    public RepeatedWordWeight RepeatedWords { get; init; } = RepeatedWordWeight.Log;

    /// <summary>Share (0..1) of a pasted paragraph's words a document must contain; at least one. Default 0.25.</summary>
    public double PastedMinimumShouldMatch { get; init; } = 0.25;

    /// <summary>BM25 term-frequency saturation. Default 1.2. Applied at query time: the index's length norms do not depend on it.</summary>
    public float K1 { get; init; } = 1.2f;

    /// <summary>BM25 length normalisation, 0..1. Default 0.75. Applied at query time, like <see cref="K1"/>.</summary>
    public float B { get; init; } = 0.75f;

    /// <summary>Share (0..1) of a pasted paragraph's words kept, those of highest query weight × IDF; 1 (the default)
    /// keeps them all.</summary>
    public double PastedKeepShare { get; init; } = 1.0;

    /// <summary>Most words of a pasted paragraph (or of an article in Related) kept, those of highest query weight ×
    /// IDF; 0 keeps them all. Unlike <see cref="PastedKeepShare"/> it bounds the cost of a long text: a whole article
    /// otherwise ranks by up to <see cref="QueryBuilder.MaxConcepts"/> words.</summary>
    public int PastedMaxWords { get; init; }

    /// <summary>Pseudo-relevance feedback for pasted paragraphs: how many first-pass documents to learn from; 0 (the
    /// default) turns it off.</summary>
    public int FeedbackDocs { get; init; }

    /// <summary>Words added to a pasted paragraph by feedback. Default 10.</summary>
    public int FeedbackTerms { get; init; } = 10;

    /// <summary>Share (0..0.95) of the expanded query's weight given to the added words. Default 0.5.</summary>
    public double FeedbackWeight { get; init; } = 0.5;

    /// <summary>Weight of the proximity clause of a short query of several words (its words as one character
    /// sequence) against a quoted phrase's 1. Default <see cref="QueryBuilder.TogetherWeight"/>; 0 turns it off.</summary>
    public float ProximityWeight { get; init; } = QueryBuilder.TogetherWeight;

    /// <summary>The query weight of a word that occurs <paramref name="count"/> times in the query.</summary>
    public float RepeatedWordBoost(int count) => count <= 1 ? 1f : RepeatedWords switch
    {
        RepeatedWordWeight.None => 1f,
        RepeatedWordWeight.Sqrt => MathF.Sqrt(count),
        _ => 1 + MathF.Log(count),
    };
}
