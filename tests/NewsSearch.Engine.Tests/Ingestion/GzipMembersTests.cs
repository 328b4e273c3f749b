using System.Buffers.Binary;
using System.IO.Compression;
using System.IO.Hashing;
using System.Text;
using NewsSearch.Engine.Ingestion;
using NewsSearch.Testing;

namespace NewsSearch.Engine.Tests.Ingestion;

/// <summary>
/// Gzip files of several members (<c>cat a.gz b.gz</c>, <c>bgzip</c>, logs appended to by gzip) are read to their
/// end, every member checked against its own trailer: a whole file reads without a warning, a cut or a bad checksum
/// in any member is reported after the articles before it.
/// </summary>
public class GzipMembersTests
{
    private TempFolder _folder = null!;

    [SetUp]
    public void SetUp() => _folder = new TempFolder("gzip-members");

    [TearDown]
    public void TearDown() => _folder.Dispose();

    private List<SeedItem> Read(string relative) =>
        new SeedReader(Dates.FindZone("Asia/Shanghai"), IngestionLimits.Default).Read(_folder.Combine(relative), relative).ToList();

    private static byte[] Records(string prefix, int count) =>
        Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, count)
            .Select(i => Jsonl.Record($"{prefix}{i}", $"熊猫{prefix}{i}", $"正文{i}{Guid.NewGuid()}") + "\n")));

    /// <summary>A member as .NET writes it: the bare ten-byte header, no name.</summary>
    private static byte[] Member(byte[] content)
    {
        using var memory = new MemoryStream();
        using (var gz = new GZipStream(memory, CompressionLevel.Fastest, leaveOpen: true))
            gz.Write(content);
        return memory.ToArray();
    }

    /// <summary>A member as gzip(1) with options writes it: extra field, file name, comment and header CRC.</summary>
    private static byte[] MemberWithEveryHeaderField(byte[] content)
    {
        using var memory = new MemoryStream();
        memory.Write([0x1f, 0x8b, 8, 0x02 | 0x04 | 0x08 | 0x10, 0, 0, 0, 0, 0, 3]);
        memory.Write([4, 0, (byte)'A', (byte)'B', 0, 0]); // FEXTRA: 4 bytes, one empty subfield
        memory.Write("news.jsonl\0"u8);
        memory.Write("exported nightly\0"u8);
        var header = memory.ToArray();
        memory.Write(BitConverter.GetBytes((ushort)Crc32.HashToUInt32(header))); // FHCRC: the header's CRC-32, low half
        using (var deflate = new DeflateStream(memory, CompressionLevel.Optimal, leaveOpen: true))
            deflate.Write(content);
        Span<byte> trailer = stackalloc byte[8];
        BinaryPrimitives.WriteUInt32LittleEndian(trailer, Crc32.HashToUInt32(content));
        BinaryPrimitives.WriteUInt32LittleEndian(trailer[4..], (uint)content.Length);
        memory.Write(trailer);
        return memory.ToArray();
    }

    private void Write(string relative, params byte[][] parts) =>
        File.WriteAllBytes(_folder.Combine(relative), parts.SelectMany(p => p).ToArray());

    /// <summary>The file gives exactly <paramref name="ids"/>, in order, and no warning.</summary>
    private void AssertReadWhole(string relative, IEnumerable<string> ids)
    {
        var items = Read(relative);
        Assert.Multiple(() =>
        {
            Assert.That(Ids(items), Is.EqualTo(ids));
            Assert.That(items.Where(i => i.Skipped is not null), Is.Empty);
        });
    }

    private static string[] Ids(IEnumerable<SeedItem> items) => items.Where(i => i.Article is not null).Select(i => i.Article!.Id).ToArray();

    private static IEnumerable<string> Expected(params (string Prefix, int Count)[] parts) =>
        parts.SelectMany(p => Enumerable.Range(0, p.Count).Select(i => $"{p.Prefix}{i}"));

    [Test]
    public void FilesJoinedWithCat_AreReadToTheEnd_WithoutAWarning()
    {
        Write("joined.jsonl.gz", Member(Records("a", 300)), MemberWithEveryHeaderField(Records("b", 5)), Member([]), Member(Records("c", 300)));

        AssertReadWhole("joined.jsonl.gz", Expected(("a", 300), ("b", 5), ("c", 300)));
    }

    [Test]
    public void ManySmallMembers_OneArticleEach_AreAllRead()
    {
        // Hundreds of members fit in one of the inflater's buffers: each member's leftover is the next one's start.
        Write("blocks.jsonl.gz", Enumerable.Range(0, 400).Select(i => Member(Records($"m{i}-", 1))).ToArray());

        AssertReadWhole("blocks.jsonl.gz", Enumerable.Range(0, 400).Select(i => $"m{i}-0"));
    }

    [Test]
    public void EmptyMembers_AsGzipWritesThem_AreReadPast()
    {
        // gzip(1) compresses nothing to the data 03 00 and a trailer of eight zeros.
        var empty = EmptyMember;
        Write("empties.jsonl.gz", empty, empty, Member(Records("a", 3)), empty, empty, empty, Member(Records("b", 3)), empty);

        AssertReadWhole("empties.jsonl.gz", Expected(("a", 3), ("b", 3)));
    }

    [TestCase(-8, TestName = "JoinedFiles_WhoseLastMemberLostItsTrailer_AreReportedTruncated")]
    [TestCase(-3, TestName = "JoinedFiles_CutInsideTheLastTrailer_AreReportedTruncated")]
    [TestCase(0.5, TestName = "JoinedFiles_CutInTheSecondMember_KeepTheFirstWhole_AndAreReportedTruncated")]
    public void JoinedFiles_CutShort_AreReported(double cut)
    {
        var first = Member(Records("a", 200));
        var second = Member(Records("b", 200));
        var keep = cut > 0 ? (int)(second.Length * cut) : second.Length + (int)cut;
        Write("cut.jsonl.gz", first, second[..keep]);

        var items = Read("cut.jsonl.gz");

        Assert.Multiple(() =>
        {
            Assert.That(Ids(items).Take(200), Is.EqualTo(Expected(("a", 200))));
            Assert.That(Ids(items), Has.Length.InRange(200, cut > 0 ? 399 : 400));
            Assert.That(items[^1].Skipped?.Reason, Does.Contain("ends early or fails its checksum"));
            Assert.That(SkipKinds.Of(items[^1].Skipped!.Reason), Is.EqualTo(SkipKinds.Unreadable));
        });
    }

    private static readonly byte[] EmptyMember = [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];

    [Test]
    public void AMemberThatLostItsTrailer_BeforeAnotherMember_IsReported()
    {
        var first = Member(Records("a", 20));
        Write("no-trailer.jsonl.gz", first[..^8], Member(Records("b", 20)), Member(Records("a", 20)));

        var items = Read("no-trailer.jsonl.gz");

        Assert.Multiple(() =>
        {
            Assert.That(Expected(("a", 20)), Is.SupersetOf(Ids(items)), "none of the members after the damage");
            Assert.That(items[^1].Skipped?.Reason, Does.Contain("corrupt"));
        });
    }

    [Test]
    public void BytesBetweenMembers_EndTheReading_AndAreNamed()
    {
        Write("junk-between.jsonl.gz", Member(Records("a", 5)), "GARBAGE!"u8.ToArray(), Member(Records("b", 5)));

        var items = Read("junk-between.jsonl.gz");

        Assert.Multiple(() =>
        {
            Assert.That(Ids(items), Is.EqualTo(Expected(("a", 5))));
            Assert.That(items[^1].Skipped?.Reason, Does.Contain("corrupt"));
        });
    }

    [Test]
    public void BytesBetweenMembers_FollowedByMuchMore_AreNamedAsNotGzip()
    {
        var random = new byte[300_000];
        new Random(3).NextBytes(random);
        var incompressible = Encoding.UTF8.GetBytes(Jsonl.Record("big", "熊猫", Convert.ToBase64String(random)) + "\n");
        Write("junk-then-more.jsonl.gz", Member(Records("a", 5)), "GARBAGE!"u8.ToArray(), Member(incompressible));

        var items = Read("junk-then-more.jsonl.gz");

        Assert.Multiple(() =>
        {
            Assert.That(Ids(items), Is.EqualTo(Expected(("a", 5))));
            Assert.That(items[^1].Skipped?.Reason, Does.Contain("followed by bytes that are not gzip"));
        });
    }

    [Test]
    public void ZeroPaddingAfterTheLastMember_IsIgnored_AsGzipDoes()
    {
        Write("padded.jsonl.gz", Member(Records("a", 5)), EmptyMember, new byte[4096]);

        AssertReadWhole("padded.jsonl.gz", Expected(("a", 5)));
    }

    [Test]
    public void AFileEndingWithBgzipsEndOfFileBlock_IsWhole()
    {
        byte[] bgzipEnd = [0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, (byte)'B', (byte)'C', 2, 0, 0x1b, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        Write("bgzip.jsonl.gz", Member(Records("a", 5)), Member(Records("b", 5)), bgzipEnd);

        AssertReadWhole("bgzip.jsonl.gz", Expected(("a", 5), ("b", 5)));
    }

    [Test]
    public void AnEmptyFileGzippedWithItsName_IsWhole()
    {
        Write("empty-named.jsonl.gz", [0x1f, 0x8b, 8, 8, 0, 0, 0, 0, 0, 3, .. "empty.jsonl\0"u8, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        Assert.That(Read("empty-named.jsonl.gz"), Is.Empty);
    }

    [TestCase(0, TestName = "AFlagFlippedInTheFirstMembersHeader_BeforeAnEmptyMember_IsReported")]
    [TestCase(1, TestName = "AFlagFlippedInTheFirstMembersHeader_BeforeZeroPadding_IsReported")]
    public void AFlagFlippedInTheFirstMembersHeader_IsReported(int ending)
    {
        // zlib reads the data as a header field to the end of the file: nothing is decompressed, nothing thrown.
        var first = Member(Records("a", 50));
        first[3] |= 4;
        Write("flipped-first.jsonl.gz", first, ending == 0 ? EmptyMember : new byte[512]);

        var items = Read("flipped-first.jsonl.gz");

        Assert.That(items.Single().Skipped?.Reason, Does.Contain("corrupt"));
    }

    [Test]
    public void ZeroPaddingOfAFewBytes_AfterATrailerEndingInZeros_IsIgnored()
    {
        var member = Member(Records("a", 5)); // under 16 MiB: its length's high byte, the file's last, is zero
        Write("short-pad.jsonl.gz", member, new byte[3]);

        AssertReadWhole("short-pad.jsonl.gz", Expected(("a", 5)));
    }

    [Test]
    public void TheEndsVerdict_IsTheSameWhenAskedTwice()
    {
        var member = Member(Records("a", 5));
        using var gzip = new CheckedGzipStream(new MemoryStream([.. member, .. new byte[10_000], .. member]));
        gzip.CopyTo(Stream.Null);
        var first = gzip.EndProblem();
        Assert.Multiple(() =>
        {
            Assert.That(first, Does.Contain("not gzip"));
            Assert.That(gzip.EndProblem(), Is.EqualTo(first));
        });
    }

    [Test]
    public void AFlagFlippedInAMembersHeader_BeforeAnEmptyLastMember_IsReported()
    {
        // zlib then reads the member's data as a header field and runs to the end of the file, past the empty member.
        var second = Member(Records("b", 50));
        second[3] |= 4;
        Write("flipped.jsonl.gz", Member(Records("a", 50)), second, EmptyMember);

        var items = Read("flipped.jsonl.gz");

        Assert.Multiple(() =>
        {
            Assert.That(Ids(items), Is.EqualTo(Expected(("a", 50))));
            Assert.That(items[^1].Skipped?.Reason, Does.Contain("corrupt"));
        });
    }

    [TestCase(8, TestName = "ACutFileEndingInEightZeros_IsReported")]
    [TestCase(-1, TestName = "ACutFileFilledWithZerosToItsLength_IsReported")]
    public void ACutFileEndingInZeros_IsReported(int zeros)
    {
        // Zeros decode as deflate data without complaint: an interrupted download into a file made full length first.
        var random = new Random(5);
        var text = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 3000)
            .Select(i => Jsonl.Record($"z{i}", "熊猫", new string((char)('a' + random.Next(8)), 1 + random.Next(3)) + random.Next()) + "\n")));
        var whole = Member(text);
        var half = whole.Length / 2;
        Write("zero-tail.jsonl.gz", whole[..half], new byte[zeros > 0 ? zeros : whole.Length - half]);

        var items = Read("zero-tail.jsonl.gz");

        Assert.That(items[^1].Skipped?.Reason, Does.Contain("truncated or corrupt"));
    }

    [Test]
    public void AMemberWhoseChecksumIsWrong_IsReported_EvenWhenItIsNotTheLast()
    {
        var first = Member(Records("a", 50));
        first[^8] ^= 0xFF; // the first member's CRC-32 no longer matches its data
        Write("bad-crc.jsonl.gz", first, Member(Records("b", 50)));

        var items = Read("bad-crc.jsonl.gz");

        Assert.Multiple(() =>
        {
            Assert.That(Expected(("a", 50)), Is.SupersetOf(Ids(items)), "none of the members after the damage");
            Assert.That(items[^1].Skipped?.Reason, Does.Contain("corrupt"));
        });
    }

    [Test]
    public void BytesAfterTheLastMember_ThatAreNotGzip_AreNamed_AfterEveryArticleIsRead()
    {
        Write("tail.jsonl.gz", Member(Records("a", 30)), "not gzip at all\n"u8.ToArray());

        var items = Read("tail.jsonl.gz");

        Assert.Multiple(() =>
        {
            Assert.That(Ids(items), Is.EqualTo(Expected(("a", 30))));
            Assert.That(items[^1].Skipped?.Reason, Does.Contain("corrupt"));
            Assert.That(SkipKinds.Of(items[^1].Skipped!.Reason), Is.EqualTo(SkipKinds.Unreadable));
        });
    }

    [Test]
    public void AFileNamedGzThatIsNotGzip_IsSkippedAsCorrupt_AtItsFirstLine()
    {
        File.WriteAllText(_folder.Combine("plain.jsonl.gz"), Jsonl.Record("p", "熊猫", "正文") + "\n");

        var items = Read("plain.jsonl.gz");

        Assert.Multiple(() =>
        {
            Assert.That(Ids(items), Is.Empty);
            Assert.That(items.Single().Skipped!.Reason, Does.Contain("not valid gzip"));
        });
    }

    [Test]
    public void ZeroPaddingPastTheReadersLastBuffer_IsIgnored()
    {
        var random = new byte[30_000];
        new Random(9).NextBytes(random);
        Write("long-pad.jsonl.gz", Member(Encoding.UTF8.GetBytes(Jsonl.Record("big", "熊猫", Convert.ToBase64String(random)) + "\n")), new byte[200_000]);

        AssertReadWhole("long-pad.jsonl.gz", new[] { "big" });
    }

    /// <summary>Gives at most a few bytes a read, as a network file system may: the file's end is pieced together.</summary>
    private sealed class TricklingStream(byte[] bytes, int seed) : MemoryStream(bytes)
    {
        private readonly Random _random = new(seed);
        // MemoryStream's span read, in a derived class, comes here too.
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, 1 + _random.Next(40)));
    }

    /// <summary>What a reader gets: the bytes, and whether the file was found damaged (at its end, or by zlib).</summary>
    private static (byte[] Output, bool Damaged) Decompress(Stream compressed)
    {
        using var gzip = new CheckedGzipStream(compressed);
        using var output = new MemoryStream();
        var buffer = new byte[64 * 1024];
        try
        {
            int n;
            while ((n = gzip.Read(buffer)) > 0) output.Write(buffer, 0, n);
            return (output.ToArray(), gzip.EndProblem() is not null);
        }
        catch (InvalidDataException)
        {
            return (output.ToArray(), true);
        }
    }

    [Test]
    public void ReadsOfAFewBytesAtATime_GiveWhatOneLargeReadGives()
    {
        byte[] bgzipEnd = [0x1f, 0x8b, 8, 4, 0, 0, 0, 0, 0, 0xff, 6, 0, (byte)'B', (byte)'C', 2, 0, 0x1b, 0, 3, 0, 0, 0, 0, 0, 0, 0, 0, 0];
        var a = Member(Records("a", 40));
        var b = Member(Records("b", 40));
        byte[][] files =
        [
            [.. a, .. b], [.. a, .. EmptyMember, .. b, .. bgzipEnd], [.. a, .. new byte[100]],
            [.. Enumerable.Repeat(EmptyMember, 30).SelectMany(e => e), .. a],
            [.. a, .. b[..^3]], [.. a, .. b[..(b.Length / 2)], .. new byte[b.Length]], [.. a, .. "GARBAGE!"u8, .. b],
            [.. a, .. new byte[40], .. b],
        ];
        for (var f = 0; f < files.Length; f++)
        {
            var (output, damaged) = Decompress(new MemoryStream(files[f]));
            Assert.That(damaged, Is.EqualTo(f >= 4), $"file {f} read whole");
            for (var seed = 0; seed < 50; seed++)
            {
                var trickled = Decompress(new TricklingStream(files[f], seed));
                Assert.That(trickled.Damaged, Is.EqualTo(damaged), $"file {f}, seed {seed}");
                if (!damaged) Assert.That(trickled.Output, Is.EqualTo(output), $"file {f}, seed {seed}");
            }
        }
    }

    [Test]
    public void Crc32OfTheEndOfARun_ComesFromTheWholeRunsAndItsBeginnings()
    {
        var random = new Random(11);
        var bytes = new byte[5000];
        random.NextBytes(bytes);
        var whole = Crc32.HashToUInt32(bytes);
        foreach (var split in new[] { 0, 1, 7, 8, 9, 255, 2500, 4999, 5000 })
            Assert.That(Crc32Suffix.Of(whole, Crc32.HashToUInt32(bytes.AsSpan(0, split)), bytes.Length - split),
                Is.EqualTo(Crc32.HashToUInt32(bytes.AsSpan(split))), $"split at {split}");
    }

    [Test]
    public void AnEmptyGzFile_HoldsNothing_AndIsNotAnError()
    {
        File.WriteAllBytes(_folder.Combine("empty.jsonl.gz"), []);
        Assert.That(Read("empty.jsonl.gz"), Is.Empty);
    }
}
