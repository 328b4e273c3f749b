using System.Diagnostics;
using System.IO.Compression;
using System.Text.Json;
using System.Text.Json.Nodes;
using Grpc.Core;
using NewsSearch.Api.V1;

namespace NewsSearch.Bench;

/// <summary>
/// <c>facets</c>: what facets and Export cost on the whole cctv corpus, against the server as a separate process.
/// Each search case runs plain and with a month histogram plus the top 10 sources, one request at a time, so the ratio
/// of the two is the facets' own cost; the whole-corpus case counts every article. Then the whole corpus is exported
/// (with and without titles) while the server's RSS is sampled. The articles get made-up sources (see <see cref="WithSources"/>).
/// </summary>
public static class FacetsBench
{
    public static async Task<Report?> Run(BenchContext ctx)
    {
        if (!ctx.CorpusPresent(BenchContext.CctvFile, "facets")) return null;
        var step = TimeSpan.FromSeconds(ctx.Double("step-seconds", 5));
        using var tmp = new TempDir("facets", ctx.Flag("keep"));
        var (_, specs, server, _) = await CctvUnderLoad.StartAsync(ctx, tmp, "facets", WithSources(tmp, ctx.CorpusFile(BenchContext.CctvFile)));
        using var _ = server;
        var days = Corpus.Read(ctx.CorpusFile(BenchContext.CctvFile)).Where(a => a.Published is not null)
            .Select(a => DateOnly.FromDateTime(a.Published!.Value.ToOffset(TimeSpan.FromHours(8)).DateTime)).ToList();
        string first = days.Min().ToString("yyyy-MM-dd"), last = days.Max().ToString("yyyy-MM-dd");
        var facets = new FacetRequest { DateHistogram = FacetInterval.Month, SourceTop = 10 };

        var cases = new (string Name, Func<int, SearchRequest> Request)[]
        {
            ("query mix (1,000 queries, page 1 and 5)", i => specs[i % specs.Count].ToRequest()),
            ($"every article ({first} to {last}, empty query)", _ => new SearchRequest { PublishedFrom = first, PublishedTo = last }),
        };
        var rows = new List<string[]>();
        var report = new Report();
        foreach (var (name, request) in cases)
        {
            var counted = (await server.Search.SearchAsync(WithFacets(request(0), facets))).Facets;
            Console.Error.WriteLine($"[facets] {name}: {counted.DateBuckets.Count} month buckets, {counted.Sources.Count} sources");
            Task Plain(int i) => server.Search.SearchAsync(request(i), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
            Task Faceted(int i) => server.Search.SearchAsync(WithFacets(request(i), facets), deadline: DateTime.UtcNow.AddSeconds(30)).ResponseAsync;
            await Load.Closed(Plain, 1, TimeSpan.FromSeconds(2));
            var plain = await Load.Closed(Plain, 1, step);
            await Load.Closed(Faceted, 1, TimeSpan.FromSeconds(2));
            var faceted = await Load.Closed(Faceted, 1, step);
            var ratio = plain.Rps / faceted.Rps;
            rows.Add([name, Report.N(plain.Rps), QueryBench.Ms(plain.P50Ms), QueryBench.Ms(plain.P99Ms),
                Report.N(faceted.Rps), QueryBench.Ms(faceted.P50Ms), QueryBench.Ms(faceted.P99Ms), Report.N(ratio, 2)]);
            report.Add("facets", $"{name}: mean latency with / without facets", Report.N(ratio, 2));
        }
        Report.Table($"Search with and without facets (month histogram + top 10 sources), one request at a time over gRPC ({step.TotalSeconds:F0} s each; {Environment.ProcessorCount} cores)",
            ["case", "plain req/s", "plain p50", "plain p99", "faceted req/s", "faceted p50", "faceted p99", "mean latency ratio"], rows);

        var exports = new List<string[]>();
        await Export(server, new ExportRequest { PublishedFrom = first, PublishedTo = last }); // warm-up: JIT, doc values
        foreach (var titles in new[] { false, true })
        {
            var (count, secs, before, peak) = await Export(server, new ExportRequest { PublishedFrom = first, PublishedTo = last, IncludeTitles = titles });
            exports.Add([titles ? "with titles" : "ids and dates", Report.N(count), Report.N(secs, 2) + " s", Report.N(count / secs),
                Report.Mb(before), Report.Mb(peak)]);
            report.Add("export", $"whole corpus, {(titles ? "with titles" : "ids and dates")}: articles/s; server RSS before / peak",
                $"{Report.N(count / secs)}; {Report.Mb(before)} / {Report.Mb(peak)}");
        }
        Report.Table("Export of the whole corpus over gRPC (one stream, read as fast as the client can; server RSS sampled every 10 ms)",
            ["items", "articles", "time", "articles/s", "server RSS before", "server RSS peak"], exports);
        return report;
    }

    public const int SyntheticSources = 50;

    /// <summary>
    /// A seeds folder holding the cctv articles, each given one of <see cref="SyntheticSources"/> made-up sources (by a
    /// hash of its id): the corpus names none (it is all one programme), and counting a missing field costs nothing.
    /// </summary>
    private static string WithSources(TempDir tmp, string corpusFile)
    {
        var seeds = tmp.Sub("seeds");
        using var input = new StreamReader(new GZipStream(File.OpenRead(corpusFile), CompressionMode.Decompress));
        using var output = new StreamWriter(new GZipStream(File.Create(Path.Combine(seeds, "cctv-with-sources.jsonl.gz")), CompressionLevel.Fastest));
        for (var line = input.ReadLine(); line is not null; line = input.ReadLine())
        {
            if (JsonNode.Parse(line) is not JsonObject record) continue;
            var id = (string?)record["id"] ?? "";
            record["source"] = $"来源{(uint)id.GetHashCode(StringComparison.Ordinal) % SyntheticSources:D2}";
            output.WriteLine(record.ToJsonString(Json));
        }
        return seeds;
    }

    private static readonly JsonSerializerOptions Json = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static SearchRequest WithFacets(SearchRequest request, FacetRequest facets)
    {
        var copy = request.Clone();
        copy.Facets = facets;
        return copy;
    }

    /// <summary>One whole export read as fast as the client can: items, seconds, and the server's RSS before and at
    /// its peak (sampled every 10 ms). Also the <c>export</c> bench's gRPC half.</summary>
    internal static async Task<(long Count, double Secs, long RssBefore, long RssPeak)> Export(ServerProcess server, ExportRequest request)
    {
        var before = Proc.StatusKb(server.Pid, "VmRSS") * 1024;
        var peak = before;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Proc.StatusKb(server.Pid, "VmRSS") * 1024);
                await Task.Delay(10);
            }
        });
        var watch = Stopwatch.StartNew();
        long count = 0;
        using (var call = server.Search.Export(request))
            await foreach (var _ in call.ResponseStream.ReadAllAsync()) count++;
        var secs = watch.Elapsed.TotalSeconds;
        await sampling.CancelAsync();
        await sampler;
        return (count, secs, before, peak);
    }
}
