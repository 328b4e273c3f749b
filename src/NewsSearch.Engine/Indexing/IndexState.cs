using System.Text.Json;
using System.Text.Json.Serialization;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine.Indexing;

/// <summary>What a seed file looked like when it was indexed. A file whose stamp differs is read again.</summary>
public readonly record struct FileStamp(long Length, long LastWriteTicks);

/// <summary>
/// What the index knows about the seeds it was built from, saved in each Lucene commit's user data so that it is
/// exactly as durable as the documents: after a crash the last commit's state describes the last commit's documents.
/// </summary>
public sealed class IndexState
{
    private const string Key = "news-search-state";
    /// <summary>Skipped-input reasons kept per file; the count is always exact.</summary>
    public const int MaxReasonsPerFile = 20;

    /// <summary>
    /// Version of the analysis and field layout the documents were written with. Bump it whenever a change to
    /// analysis or fields makes existing documents wrong: an index of another version is re-read from the seeds.
    /// 2: one gram per character position.
    /// 3: doc values of the source name (facets) and of the id (export order); near-duplicate cluster keys, band terms
    ///    and signatures.
    /// 4: no offsets in any postings, no positions in the word fields' postings (see <see cref="ArticleFields"/>).
    /// 5: title and body stored as UTF-16 bytes (<see cref="StoredUtf16"/>), not as strings.
    /// </summary>
    public const int CurrentSchema = 5;

    /// <summary>The schema the documents of this state were written with (0 in states written before versions).</summary>
    public int Schema { get; set; }

    /// <summary>True when documents exist that an engine of another schema wrote.</summary>
    [JsonIgnore] public bool IsStale => Files.Count > 0 && Schema != CurrentSchema;

    public Dictionary<string, FileStamp> Files { get; init; } = new(StringComparer.Ordinal);
    public Dictionary<string, FileSkips> Skipped { get; init; } = new(StringComparer.Ordinal);

    /// <summary>
    /// Files holding copies of an article that are not served because another file (or an earlier line of the same
    /// file) holds the same id, with how many such copies each holds. Kept per file, not per id, so that it stays small
    /// whatever the number of duplicates.
    /// </summary>
    public Dictionary<string, int> ShadowedCopies { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Files whose served copies shadow copies in other files (or in themselves): when one of them changes or
    /// goes, the files in <see cref="ShadowedCopies"/> are read again so that the next copy in line is served.</summary>
    public HashSet<string> ShadowingFiles { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Copies of articles not served because their id is served from another input.</summary>
    [JsonIgnore] public int DuplicateCount => ShadowedCopies.Values.Sum();
    public DateTimeOffset? LastIndexedAt { get; set; }

    public sealed class FileSkips
    {
        public int Count { get; set; }
        public List<SkippedInput> Examples { get; init; } = [];
    }

    public void RecordSkip(SkippedInput skip, string file)
    {
        if (!Skipped.TryGetValue(file, out var s)) Skipped[file] = s = new FileSkips();
        s.Count++;
        // The first reasons, and always the latest: the one that ended a file's reading comes last.
        if (s.Examples.Count < MaxReasonsPerFile) s.Examples.Add(skip);
        else s.Examples[^1] = skip;
    }

    public int SkippedCount => Skipped.Values.Sum(s => s.Count);

    public IDictionary<string, string> ToUserData() =>
        new Dictionary<string, string> { [Key] = JsonSerializer.Serialize(this, Json) };

    public static IndexState FromUserData(IDictionary<string, string>? userData) =>
        userData is not null && userData.TryGetValue(Key, out var json)
            ? JsonSerializer.Deserialize<IndexState>(json, Json) ?? new IndexState()
            : new IndexState();

    private static readonly JsonSerializerOptions Json = new() { DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull };
}
