namespace NewsSearch.Eval;

/// <summary>One query's figures under the LeCaRD protocol.</summary>
/// <param name="AP">Average precision; the denominator is the number of relevant ids in the judged list.</param>
/// <param name="APRetrievedOnly">The same sum divided by the number of relevant ids that were actually ranked (the
/// other literal reading of the README); equal to <paramref name="AP"/> whenever every judged id was ranked.</param>
/// <param name="Kept">Judged ids present in the ranking.</param>
/// <param name="RelevantJudged">Judged ids with the relevant grade.</param>
/// <param name="RelevantKept">Relevant judged ids present in the ranking.</param>
public sealed record QueryMetrics(double P5, double P10, double AP, double APRetrievedOnly, int Kept, int Judged, int RelevantJudged, int RelevantKept);

/// <summary>Means over a query set.</summary>
public sealed record MetricsSummary(int Queries, double P5, double P10, double MAP, double MAPRetrievedOnly);

/// <summary>
/// The LeCaRD protocol (../shared/corpus/README.md), with no I/O:
/// 1. the ranking is the engine's order of the pool; 2. keep only the ids in <c>judged</c>, in that order;
/// 3. relevant means grade 3 in the qrels. P@k is the share of relevant ids among the first k kept ids, always
/// divided by k (as in the paper's script; a short list is not rewarded). AP is the mean, over the relevant ids,
/// of the precision at each relevant kept id's rank in the kept list. The protocol ranks the whole pool, so in the
/// paper every judged id is kept and "relevant kept ids" = "relevant judged ids". Our engine may leave pool
/// documents out (minimum-should-match), so we divide by the relevant ids of the judged list, i.e. a relevant
/// document the engine never returned counts as precision 0 — this reproduces the paper whenever the whole pool
/// is ranked and never rewards dropping documents. The retrieved-only division is reported beside it.
/// A query with no relevant judged id has AP 0 and still counts in MAP.
/// </summary>
public static class LecardMetrics
{
    public const int RelevantGrade = 3;

    public static QueryMetrics Score(IReadOnlyList<string> ranking, IReadOnlyCollection<string> judged, IReadOnlyDictionary<string, int> grades)
    {
        var judgedSet = judged as IReadOnlySet<string> ?? judged.ToHashSet(StringComparer.Ordinal);
        bool Relevant(string id) => grades.TryGetValue(id, out var g) && g >= RelevantGrade;

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var kept = ranking.Where(id => judgedSet.Contains(id) && seen.Add(id)).ToList();
        var relevantJudged = judgedSet.Count(Relevant);

        double precisionSum = 0;
        var relevantSoFar = 0;
        for (var i = 0; i < kept.Count; i++)
        {
            if (!Relevant(kept[i])) continue;
            relevantSoFar++;
            precisionSum += (double)relevantSoFar / (i + 1);
        }
        return new QueryMetrics(
            P5: PrecisionAt(kept, 5, Relevant),
            P10: PrecisionAt(kept, 10, Relevant),
            AP: relevantJudged == 0 ? 0 : precisionSum / relevantJudged,
            APRetrievedOnly: relevantSoFar == 0 ? 0 : precisionSum / relevantSoFar,
            Kept: kept.Count,
            Judged: judgedSet.Count,
            RelevantJudged: relevantJudged,
            RelevantKept: relevantSoFar);
    }

    private static double PrecisionAt(List<string> kept, int k, Func<string, bool> relevant) =>
        (double)kept.Take(k).Count(relevant) / k;

    public static MetricsSummary Summarize(IReadOnlyCollection<QueryMetrics> queries) => queries.Count == 0
        ? new MetricsSummary(0, 0, 0, 0, 0)
        : new MetricsSummary(queries.Count, queries.Average(q => q.P5), queries.Average(q => q.P10),
            queries.Average(q => q.AP), queries.Average(q => q.APRetrievedOnly));
}
