using System.Globalization;
using NewsSearch.Bench;

CultureInfo.DefaultThreadCurrentCulture = CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
try
{
    var ctx = BenchContext.Parse(args);
    switch (ctx.Command)
    {
        case "index":
            IndexBench.Run(ctx).Report.Print("Summary");
            return 0;
        case "index-child": // hidden: one corpus per process, so that VmHWM is per corpus
            return IndexBench.Child(ctx);
        case "query":
            (await QueryBench.Run(ctx))?.Print("Summary");
            return 0;
        case "facets":
            (await FacetsBench.Run(ctx))?.Print("Summary");
            return 0;
        case "freshness":
            (await FreshnessBench.Run(ctx))?.Print("Summary");
            return 0;
        case "scale":
            (await ScaleBench.Run(ctx))?.Print("Summary");
            return 0;
        case "restart":
            (await RestartBench.Run(ctx))?.Print("Summary");
            return 0;
        case "soak":
            (await SoakBench.Run(ctx))?.Print("Summary");
            return 0;
        case "replicas":
            (await ReplicaBench.Run(ctx))?.Print("Summary");
            return 0;
        case "related":
            RelatedBench.Run(ctx)?.Print("Summary");
            return 0;
        case "generate":
            return ScaleBench.Generate(ctx);
        case "java":
            JavaBench.Run(ctx, null)?.Print("Summary");
            return 0;
        case "java-scale":
            JavaScaleBench.Run(ctx)?.Print("Summary");
            return 0;
        case "hostile":
            HostileBench.Run(ctx);
            return 0;
        case "overload":
            await OverloadBench.Run(ctx);
            return 0;
        case "inprocess":
            InProcessBench.Run(ctx)?.Print("Summary");
            return 0;
        case "export":
            (await ExportBench.Run(ctx))?.Print("Summary");
            return 0;
        case "collapse":
            CollapseBench.Run(ctx)?.Print("Summary");
            return 0;
        case "all":
        {
            var combined = new Report();
            var (index, figures) = IndexBench.Run(ctx);
            combined.Rows.AddRange(index.Rows);
            foreach (var r in new[] { await QueryBench.Run(ctx), await FreshnessBench.Run(ctx), JavaBench.Run(ctx, figures.FirstOrDefault(f => f.Name == "cctv")) })
                if (r is not null) combined.Rows.AddRange(r.Rows);
            combined.Print($"All benchmarks ({Environment.ProcessorCount} cores; figures are noisy when other work runs)");
            return 0;
        }
        default:
            Console.WriteLine("""
                NewsSearch benchmarks; figures are printed as Markdown tables. Build in Release:
                  dotnet run -c Release --project bench/NewsSearch.Bench -- COMMAND [options]

                Commands:
                  index      from-scratch indexing per corpus (child process each: articles/s, MB/s, peak RSS, index size),
                             analysis-only throughput (1 thread, all cores), in-process searches on cctv
                             [--corpora cctv,lecard] [--threads N]
                  query      server process, gRPC load with issue 11's reader mix: saturation (concurrency 1..32), then
                             p50/p99/p99.9 at half of it by kind and trait, Search vs Health/Check, issue 11's targets beside
                             the figures  [--step-seconds 5] [--open-seconds 15] [--queries 1000]
                             [--index DIR --seeds DIR (an existing index, e.g. 1 M articles; default: cctv built for the run)]
                             [--from 2022-01-01 --to 2026-12-31 (date windows)] [--rate N (open loop at N req/s, to compare
                             two builds under one load, instead of half of saturation)] [--kinds CommonWord,Name (only these)]
                  facets     server process on a cctv index: Search plain vs with a month histogram and source counts (query
                             mix, and every article), then Export of the whole corpus: articles/s, server RSS  [--step-seconds 5]
                  freshness  one-article files written one by one → time to the first Search hit
                             [--files 100] [--poll-ms 20] [--jitter-ms 600] [--base-articles 500] [--poll-interval 00:00:00.500]
                  scale      synthetic corpus: --reindex, start → first Search, RSS, latency at a fixed rate, restart
                             [--articles 50000] [--files 20] [--rate 20] [--open-seconds 15] [--timeout-min 90]
                  generate   write the synthetic corpus only: --out DIR [--articles 50000] [--files 20] [--seed 42]
                             [--chronological: dated in file order, as an archive is, not at random]
                  soak       the query mix at half of saturation while --reindex runs again and again and seed files come
                             and go: failed requests, moments not SERVING, RSS over time  [--minutes 10]
                  replicas   three servers on copies of one index (same seeds folder, same page-token key) behind HAProxy
                             (deploy/haproxy.cfg; haproxy must be on PATH), then the client's own round-robin: the query mix
                             open loop, one replica SIGKILLed at 1/3 and restarted at 1/2: failed requests, p99 before /
                             during / after  [--seconds 60] [--rate 100] [--articles N: generated corpus instead of cctv]
                  restart    the server started on an existing index again and again: start → health SERVING and → first
                             Search  --index DIR --seeds DIR [--times 5]
                  java       ../shared/bench/java-lucene/run.sh beside this engine's figures  [--java-timeout-min 30]
                  java-scale Java Lucene 8 (bench/java/ScaleJava.java) indexes --seeds and answers 1,000 plain BM25 queries with
                             stored fields; this engine answers the same words and dates in process on --index: engine ÷ Java
                             --seeds DIR (--index DIR | --engine-reindex: build it in the run) [--from 2016-01-01 --to 2025-12-31] [--rounds 3]
                             [--warmup-seconds 10 (the engine's warm-up passes repeat until then; Java warms up one round)]
                  hostile    CPU time of hostile query shapes (nested OR chains, thousands of exclusions, queries at the
                             clause cap) in process over generated articles, or how fast each is refused  [--articles 400]
                  overload   server process: short searches (the reader mix without pasted paragraphs) and Health/Check open
                             loop, alone, then while N clients send paste-sized searches one after another (0: no such
                             phase), then while M clients export everything, one export after another; answered, failed by
                             status, p50/p99 per kind, pastes or exported articles per second  [--rate 100] [--seconds 20]
                             [--pasters 64] [--paste-chars 2000] [--deadline-seconds 5] [--exporters 0]
                             [--export-deadline-seconds 120] [--export-slots N (the server's Search:MaxConcurrentExports)]
                             [--index DIR --seeds DIR]
                  inprocess  the reader mix through the engine in process, one thread, by kind and trait (the loop to profile)
                             [--index DIR (an existing index; default: cctv built for the run)] [--seeds DIR]
                             [--from 2022-01-01 --to 2026-12-31 (date windows)] [--queries 1000] [--rounds 3] [--kinds PastedParagraph,Name]
                             [--warmup-seconds 10 (warm-up passes over the mix repeat until then: the JIT's tiering settles)]
                             [--pasted-max-words N] [--pasted-keep-share X] [--pasted-max-doc-share X] [--pasted-minimum-should-match X] (a pasted-paragraph variant)
                  related    in process on cctv: Related for a sample of articles, and searches with explain against
                             without  [--articles 40] [--rounds 3] [--index DIR (reuse; the sources are then its own articles)]
                             [--pasted-… as inprocess] [--related-max-words N (0: every word)] [--related-minimum-should-match X]
                             [--warmup-seconds 10 (each call is warmed up this long)]
                  export     Export in process on an existing index, one thread: every article, with titles, a common word,
                             the word in one year; items/s and the first and last batches' cost  --index DIR [--word 中国] [--rounds 2]
                             [--seeds DIR: the same exports over gRPC from the server process too]
                  collapse   near-duplicates on cctv in process: detection's share of indexing, collapsed search vs
                             collapse false for a few common queries  [--reps 200]
                  all        index, query, freshness, java; one combined table

                Common options: --corpus-dir DIR (default ../shared/corpus from the repo root), --server-dll PATH, --keep
                """);
            return ctx.Command == "help" ? 0 : 2;
    }
}
catch (ArgumentException e)
{
    // A usage error (a missing or malformed option): the message names it; no stack trace.
    Console.Error.WriteLine($"error: {e.Message}");
    return 2;
}
