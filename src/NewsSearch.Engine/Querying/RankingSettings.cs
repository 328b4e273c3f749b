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

/// <summary>How the words of a pasted paragraph are scored.</summary>
public enum PastedModel
{
    /// <summary>BM25 with <see cref="RankingSettings.K1"/> and <see cref="RankingSettings.B"/> (the default).</summary>
    Bm25,
    /// <summary>Query likelihood under the document's language model, smoothed towards the collection's by a
    /// Dirichlet prior of weight μ (<see cref="RankingSettings.PastedSmoothing"/>).</summary>
    LmDirichlet,
    /// <summary>Query likelihood, the document's model mixed with the collection's in the fixed proportion λ
    /// (<see cref="RankingSettings.PastedSmoothing"/>) (Jelinek-Mercer).</summary>
    LmJelinekMercer,
    /// <summary>BM25 plus the Dirichlet language model's score times <see cref="RankingSettings.PastedLmWeight"/>,
    /// term by term (a weighted CombSUM of the two models in one pass).</summary>
    Bm25PlusLmDirichlet,
    /// <summary>BM25+ (Lv and Zhai 2011): BM25 plus δ × IDF for every query word a document holds, δ being
    /// <see cref="RankingSettings.PastedSmoothing"/> (default 1), so long documents are not over-penalised.</summary>
    Bm25Plus,
    /// <summary>Divergence from randomness (Amati and van Rijsbergen), In_expB2: the inverse expected document
    /// frequency, the Bernoulli after-effect, and term frequencies normalised to the mean length by H2 with
    /// c = <see cref="RankingSettings.PastedSmoothing"/> (default 1, the value Amati reports as robust).</summary>
    DfrInExpB2,
    /// <summary>Divergence from randomness, PL2: Poisson randomness, the Laplace after-effect, H2 with c as above.</summary>
    DfrPl2,
    /// <summary>Information-based model (Clinchant and Gaussier), log-logistic distribution, λ from the document
    /// frequency, H2 with c as above.</summary>
    IbLl,
    /// <summary>Information-based model, smoothed power-law distribution, λ from the document frequency, H2 with c as
    /// above.</summary>
    IbSpl,
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

    /// <summary>The scoring model of a pasted paragraph (and of Related). Default <see cref="PastedModel.Bm25"/>. Applied
    /// at query time: the language models read the same length norms as BM25.</summary>
    public PastedModel PastedModel { get; init; } = PastedModel.Bm25;

    /// <summary>The language model's smoothing: μ for <see cref="PastedModel.LmDirichlet"/> (default 2000), λ for
    /// <see cref="PastedModel.LmJelinekMercer"/> (default 0.7, the value reported best for long queries), δ for
    /// <see cref="PastedModel.Bm25Plus"/> (default 1), c of the H2 length normalisation for the divergence-from-randomness
    /// and information-based models (default 1); 0 takes the default. Unused with BM25.</summary>
    public float PastedSmoothing { get; init; }

    /// <summary>The language model's weight against BM25's 1 in <see cref="PastedModel.Bm25PlusLmDirichlet"/>
    /// (default 1). Unused by the other models.</summary>
    public float PastedLmWeight { get; init; } = 1f;

    /// <summary>How a pasted paragraph's word scores its title and body matches: 1 (the default) adds them; below 1,
    /// the better of the two plus this share of the other (a disjunction-max tie-breaker).</summary>
    public float PastedFieldTieBreaker { get; init; } = 1f;

    /// <summary>Weight of each of a pasted paragraph's character bigrams, searched as a bag of terms beside its words,
    /// against a word's 1; 0 (the default) leaves them out.</summary>
    public float PastedBigramWeight { get; init; }

    /// <summary>Weight of each dictionary word inside a pasted paragraph's longer words (犯罪嫌疑人 → 犯罪, 嫌疑, 嫌疑人),
    /// searched as a bag of terms on the word fields beside the words themselves, against a word's 1; 0 (the default)
    /// leaves them out.</summary>
    public float PastedPartsWeight { get; init; }

    /// <summary>Weight of each two neighbouring words of a pasted paragraph, searched as their exact character sequence
    /// beside the words, against a word's 1; 0 (the default) leaves them out.</summary>
    public float PastedPairWeight { get; init; }

    /// <summary>Share (0..1) of a pasted paragraph's words kept, those of highest query weight × IDF; 1 (the default)
    /// keeps them all.</summary>
    public double PastedKeepShare { get; init; } = 1.0;

    /// <summary>Most words of a pasted paragraph (or of an article in Related) kept, those of highest query weight ×
    /// IDF; 0 keeps them all. Unlike <see cref="PastedKeepShare"/> it bounds the cost of a long text: a whole article
    /// otherwise ranks by up to <see cref="QueryBuilder.MaxConcepts"/> words.</summary>
    public int PastedMaxWords { get; init; }

    /// <summary>Share (0..1) of the kept words a document must contain once some words of a pasted paragraph were
    /// dropped (<see cref="PastedKeepShare"/>, <see cref="PastedMaxWords"/>, <see cref="PastedMaxDocShare"/>); null (the
    /// default) takes <see cref="PastedMinimumShouldMatch"/>. The kept words are the rarest, so fewer of them may be
    /// asked for.</summary>
    public double? PastedCutMinimumShouldMatch { get; init; }

    /// <summary>
    /// Most words of an article that Related ranks by, those of highest query weight × IDF (<see cref="PastedMaxWords"/>
    /// for Related); 0 ranks by every word, as Search ranks the same text pasted. Default 128. A whole article
    /// otherwise ranks by up to <see cref="QueryBuilder.MaxConcepts"/> words, and every one is a postings list read:
    /// at 1 M articles a Related call took 364–383 ms with every word and 143–145 ms with 128 (BENCHMARKS.md, session 27).
    /// </summary>
    public int RelatedMaxWords { get; init; } = 128;

    /// <summary>Share (0..1) of Related's kept words an article must contain to be related, when the cap dropped some
    /// (<see cref="PastedCutMinimumShouldMatch"/> for Related; an article of fewer words ranks as Search ranks it
    /// pasted). Default 0.1: the kept words are the article's rarest, and a quarter of them left some articles with
    /// fewer related articles than a page.</summary>
    public double RelatedMinimumShouldMatch { get; init; } = 0.1;

    /// <summary>The settings Related ranks an article with: these, its words capped at <see cref="RelatedMaxWords"/>
    /// with <see cref="RelatedMinimumShouldMatch"/> of them required; these unchanged when the cap is 0.</summary>
    public RankingSettings ForRelated() => RelatedMaxWords <= 0 ? this
        : this with { PastedMaxWords = RelatedMaxWords, PastedCutMinimumShouldMatch = RelatedMinimumShouldMatch };

    /// <summary>Words of a pasted paragraph (or of an article in Related) found in more than this share (0..1) of the
    /// articles are dropped before any other selection; the rarest word stays when all would go. 1 (the default)
    /// keeps them all. The commonest words have the longest postings and the lowest IDF.</summary>
    public double PastedMaxDocShare { get; init; } = 1.0;

    /// <summary>Pseudo-relevance feedback for pasted paragraphs: how many first-pass documents to learn from; 0 (the
    /// default) turns it off.</summary>
    public int FeedbackDocs { get; init; }

    /// <summary>Words added to a pasted paragraph by feedback. Default 10.</summary>
    public int FeedbackTerms { get; init; } = 10;

    /// <summary>Share (0..0.95) of the expanded query's weight given to the added words. Default 0.5.</summary>
    public double FeedbackWeight { get; init; } = 0.5;

    /// <summary>Weight (0..1) of a pasted paragraph's best passage in its first hits' order, against the whole
    /// document's 1 − this (<see cref="FirstHitsRescore"/>); 0 (the default) leaves the order to the document score.</summary>
    public double PassageWeight { get; init; }

    /// <summary>Words in a passage of <see cref="PassageWeight"/>. Default 150.</summary>
    public int PassageWords { get; init; } = 150;

    /// <summary>How many first hits <see cref="PassageWeight"/> and <see cref="Bm25f"/> rescore. Default 100.</summary>
    public int PassageDocs { get; init; } = 100;

    /// <summary>A pasted paragraph's first hits rescored by BM25F (<see cref="FirstHitsRescore"/>): a word's title and
    /// body frequencies added before they saturate, the title's weighted by <see cref="PastedTitleBoost"/>. Off by
    /// default.</summary>
    public bool Bm25f { get; init; }

    /// <summary>Title length normalisation of <see cref="Bm25f"/>, 0..1 (the body takes <see cref="B"/>). Default 0.5.</summary>
    public float Bm25fTitleB { get; init; } = 0.5f;

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

    /// <summary><see cref="PastedSmoothing"/>, or <paramref name="modelDefault"/> (the model's own default) when it is 0.</summary>
    public float SmoothingOr(float modelDefault) => PastedSmoothing > 0 ? PastedSmoothing : modelDefault;

    /// <summary>Smallest c of the H2 length normalisation: far below it the normalised frequency rounds to 0 and the
    /// divergence-from-randomness models' logarithms give NaN.</summary>
    public const float MinLengthNormalisation = 0.01f;

    /// <summary>
    /// Checks every knob against the range its documentation gives, so that a value no model can use (a share above 1,
    /// a negative weight, NaN, an enum value that names nothing) is refused by name instead of scoring NaN or silently
    /// ranking with a default.
    /// </summary>
    /// <exception cref="ArgumentException">The first knob out of range, named with its value and range.</exception>
    public void Validate()
    {
        static void Check(bool ok, string name, object value, string range)
        {
            if (!ok) throw new ArgumentException($"ranking setting {name} = {value} is out of range: {range}");
        }
        static bool Share(double x) => x is >= 0 and <= 1;
        static bool Weight(double x) => double.IsFinite(x) && x >= 0;
        Check(Enum.IsDefined(RepeatedWords), nameof(RepeatedWords), RepeatedWords, string.Join(", ", Enum.GetNames<RepeatedWordWeight>()));
        Check(Enum.IsDefined(PastedModel), nameof(PastedModel), PastedModel, string.Join(", ", Enum.GetNames<PastedModel>()));
        Check(Weight(PastedTitleBoost), nameof(PastedTitleBoost), PastedTitleBoost, "a finite number ≥ 0");
        Check(Share(PastedMinimumShouldMatch), nameof(PastedMinimumShouldMatch), PastedMinimumShouldMatch, "0 to 1");
        Check(Weight(K1), nameof(K1), K1, "a finite number ≥ 0");
        Check(Share(B), nameof(B), B, "0 to 1");
        Check(Weight(PastedSmoothing), nameof(PastedSmoothing), PastedSmoothing, "a finite number ≥ 0 (0: the model's default)");
        if (PastedModel == PastedModel.LmJelinekMercer)
            Check(PastedSmoothing < 1, nameof(PastedSmoothing), PastedSmoothing, "below 1: Jelinek-Mercer's λ is the collection model's share");
        if (PastedModel is PastedModel.DfrInExpB2 or PastedModel.DfrPl2 or PastedModel.IbLl or PastedModel.IbSpl)
            Check(PastedSmoothing == 0 || PastedSmoothing >= MinLengthNormalisation, nameof(PastedSmoothing), PastedSmoothing,
                $"0 (c = 1) or at least {MinLengthNormalisation}: H2's c");
        Check(Weight(PastedLmWeight), nameof(PastedLmWeight), PastedLmWeight, "a finite number ≥ 0");
        Check(Share(PastedFieldTieBreaker), nameof(PastedFieldTieBreaker), PastedFieldTieBreaker, "0 to 1");
        Check(Weight(PastedBigramWeight), nameof(PastedBigramWeight), PastedBigramWeight, "a finite number ≥ 0");
        Check(Weight(PastedPartsWeight), nameof(PastedPartsWeight), PastedPartsWeight, "a finite number ≥ 0");
        Check(Weight(PastedPairWeight), nameof(PastedPairWeight), PastedPairWeight, "a finite number ≥ 0");
        Check(PastedKeepShare is > 0 and <= 1, nameof(PastedKeepShare), PastedKeepShare, "above 0, at most 1");
        Check(PastedMaxWords >= 0, nameof(PastedMaxWords), PastedMaxWords, "≥ 0 (0: every word)");
        Check(PastedCutMinimumShouldMatch is null || Share(PastedCutMinimumShouldMatch.Value), nameof(PastedCutMinimumShouldMatch),
            PastedCutMinimumShouldMatch!, "0 to 1, or unset");
        Check(RelatedMaxWords >= 0, nameof(RelatedMaxWords), RelatedMaxWords, "≥ 0 (0: every word)");
        Check(Share(RelatedMinimumShouldMatch), nameof(RelatedMinimumShouldMatch), RelatedMinimumShouldMatch, "0 to 1");
        Check(PastedMaxDocShare is > 0 and <= 1, nameof(PastedMaxDocShare), PastedMaxDocShare, "above 0, at most 1");
        Check(FeedbackDocs >= 0, nameof(FeedbackDocs), FeedbackDocs, "≥ 0 (0: no feedback)");
        Check(FeedbackTerms >= 0, nameof(FeedbackTerms), FeedbackTerms, "≥ 0");
        Check(FeedbackWeight is >= 0 and <= 0.95, nameof(FeedbackWeight), FeedbackWeight, "0 to 0.95");
        Check(Share(PassageWeight), nameof(PassageWeight), PassageWeight, "0 to 1");
        Check(PassageWords >= 1, nameof(PassageWords), PassageWords, "≥ 1");
        Check(PassageDocs >= 1, nameof(PassageDocs), PassageDocs, "≥ 1");
        Check(Share(Bm25fTitleB), nameof(Bm25fTitleB), Bm25fTitleB, "0 to 1");
        Check(Weight(ProximityWeight), nameof(ProximityWeight), ProximityWeight, "a finite number ≥ 0");
    }
}
