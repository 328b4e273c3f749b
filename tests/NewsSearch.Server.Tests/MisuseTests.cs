using System.Net;
using System.Net.Sockets;
using NewsSearch.Api.V1;
using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>
/// Operator mistakes, against the real process: each stops the service with exit code 2 and one line naming the key
/// and the value, before the index is touched.
/// </summary>
public class MisuseTests
{
    private TempFolder _folder = null!;
    private string Seeds => _folder.Combine("seeds");
    private string Index => _folder.Combine("index");

    [SetUp]
    public void SetUp()
    {
        _folder = new TempFolder("misuse");
        Directory.CreateDirectory(Seeds);
        File.WriteAllText(Path.Combine(Seeds, "a.jsonl"), Jsonl.Lines(
            Jsonl.Record("a1", "熊猫新闻", "大熊猫", "2025-03-01"), Jsonl.Record("a2", "港口新闻", "港口吞吐量", "2025-03-02")));
    }

    [TearDown]
    public void TearDown() => _folder.Dispose();

    private string[] Args(params string[] more) =>
        ["--contentRoot", _folder.Path, "--Search:SeedsPath", Seeds, "--Search:IndexPath", Index, "--Search:PollInterval", "00:00:00.100", .. more];

    /// <summary>Runs a process that is expected to refuse to start; returns its output.</summary>
    private static async Task<string> Refused(ServerProcess p)
    {
        Assert.That(await p.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.True, "the process stopped by itself");
        Assert.That(p.ExitCode, Is.EqualTo(2), p.Output);
        Assert.That(p.Output, Does.Not.Contain("   at "), "no stack trace at the default log level");
        return p.Output;
    }

    private static string OneLine(string output, string key)
    {
        var lines = output.Split('\n').Where(l => l.Contains("Cannot start")).ToList();
        Assert.That(lines, Has.Count.EqualTo(1), output);
        Assert.That(lines[0], Does.Contain(key));
        return lines[0];
    }

    /// <summary>Every file of the index folder but the process locks, with its length and content hash.</summary>
    private Dictionary<string, string> IndexFiles() =>
        Directory.EnumerateFiles(Index, "*", SearchOption.AllDirectories)
            .Where(f => !f.EndsWith(".lock", StringComparison.Ordinal) && !f.EndsWith(".holder", StringComparison.Ordinal))
            .ToDictionary(f => Path.GetRelativePath(Index, f), f => Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(File.ReadAllBytes(f))));

    private async Task BuildIndex()
    {
        using var p = ServerProcess.Start(Args());
        await p.WaitForStatsAsync(s => s.ArticleCount == 2, TimeSpan.FromSeconds(60));
        p.Terminate();
        Assert.That(await p.WaitForExitAsync(TimeSpan.FromSeconds(30)), Is.True);
    }

    [Test]
    public async Task SeedsPathThatDoesNotExist_StopsTheService_AndLeavesTheIndexUntouched()
    {
        await BuildIndex();
        var before = IndexFiles();
        using var p = ServerProcess.Start([.. Args(), "--Search:SeedsPath", Seeds + "-typo"]);
        var line = OneLine(await Refused(p), "Search:SeedsPath");
        Assert.Multiple(() =>
        {
            Assert.That(line, Does.Contain(Seeds + "-typo"));
            Assert.That(IndexFiles(), Is.EqualTo(before));
        });
    }

    [Test]
    public async Task ReindexFromASeedsPathThatDoesNotExist_IsRefused_AndLeavesTheIndexUntouched()
    {
        await BuildIndex();
        var before = IndexFiles();
        using var p = ServerProcess.Start([.. Args(), "--Search:SeedsPath", Seeds + "-typo", "--reindex"]);
        OneLine(await Refused(p), "Search:SeedsPath");
        Assert.That(IndexFiles(), Is.EqualTo(before));
    }

    [TestCase("--Search:TimeZone", "Mars/Olympus_Mons", "Search:TimeZone")]
    [TestCase("--Search:PollInterval", "99:00:00", "Search:PollInterval")]
    [TestCase("--urls", "http://127.0.0.1:99999", "Urls")]
    [TestCase("--Search:MaxArticleBytes", "12", "Search:MaxArticleBytes")]
    [TestCase("--Search:MaxFacetBuckets", "0", "Search:MaxFacetBuckets")]
    [TestCase("--Search:PrefixFilterCacheSize", "-1", "Search:PrefixFilterCacheSize")]
    [TestCase("--Search:MaxConcurrentSearches", "0", "Search:MaxConcurrentSearches")]
    [TestCase("--Search:MaxQueueWait", "-00:00:01", "Search:MaxQueueWait")]
    public async Task BadValue_StopsTheServiceWithOneLineNamingTheKeyAndValue(string option, string value, string key)
    {
        using var p = ServerProcess.Start([.. Args(), option, value]);
        var line = OneLine(await Refused(p), key);
        Assert.Multiple(() =>
        {
            Assert.That(line, Does.Contain(value.Replace("99:00:00", "99.00:00:00")));
            Assert.That(Directory.Exists(Index) ? Directory.GetDirectories(Index) : [], Is.Empty, "no index generation was created");
        });
    }

    [Test]
    public async Task PortAlreadyInUse_StopsTheServiceBeforeTheIndexIsOpened()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try
        {
            var port = ((IPEndPoint)listener.LocalEndpoint).Port;
            using var p = ServerProcess.Start([.. Args(), "--urls", $"http://127.0.0.1:{port}"]);
            var line = OneLine(await Refused(p), "Urls");
            Assert.Multiple(() =>
            {
                Assert.That(line, Does.Contain($"127.0.0.1:{port}").And.Contain("already in use"));
                Assert.That(Directory.GetDirectories(Index), Is.Empty, "no index generation was created");
            });
        }
        finally
        {
            listener.Stop();
        }
    }

    [Test]
    public async Task IndexPathThatIsAFile_StopsTheService()
    {
        var file = _folder.Write("not-a-folder", "x");
        using var p = ServerProcess.Start([.. Args(), "--Search:IndexPath", file]);
        OneLine(await Refused(p), "Search:IndexPath");
    }

    [Test]
    public async Task SecondServerOnTheSameIndexFolder_FailsAtOnce_NamingTheFolderAndTheHolder()
    {
        using var first = ServerProcess.Start(Args());
        await first.WaitForStatsAsync(s => s.ArticleCount == 2, TimeSpan.FromSeconds(60));
        using var second = ServerProcess.Start(Args());
        var line = OneLine(await Refused(second), "Search:IndexPath");
        Assert.Multiple(() =>
        {
            Assert.That(line, Does.Contain(Index).And.Contain($"process {first.Pid}"));
            Assert.That(first.HasExited, Is.False);
        });
        var hits = await first.Client.SearchAsync(new SearchRequest { Query = "熊猫" });
        Assert.That(hits.TotalHits, Is.EqualTo(1), "the first server still answers from an intact index");
    }

    [Test]
    public async Task ReindexBesideARunningServer_IsAllowed_AndTheServerFollowsIt()
    {
        using var server = ServerProcess.Start(Args());
        var before = await server.WaitForStatsAsync(s => s.ArticleCount == 2, TimeSpan.FromSeconds(60));
        using var reindex = ServerProcess.Start([.. Args(), "--reindex"]);
        Assert.That(await reindex.WaitForExitAsync(TimeSpan.FromSeconds(120)), Is.True);
        Assert.That(reindex.ExitCode, Is.Zero, reindex.Output);
        await server.WaitForStatsAsync(s => s.Generation != before.Generation && s.ArticleCount == 2, TimeSpan.FromSeconds(30));
    }
}
