import java.io.*;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import org.apache.lucene.analysis.cn.smart.SmartChineseAnalyzer;
import org.apache.lucene.document.*;
import org.apache.lucene.index.*;
import org.apache.lucene.search.*;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.apache.lucene.store.*;

/**
 * Java Lucene 8's side of issue 11's comparison at scale, run by `NewsSearch.Bench java-scale`.
 * Plain Lucene with the same SmartChineseAnalyzer: `id` keyword, `title` and `body` analysed and stored, `date`
 * (yyyymmdd) as a point and doc values.
 *   index TSV DIR THREADS  - index the TSV (id \t yyyymmdd \t title \t body, \t \n \\ escaped) with THREADS threads, 256 MB
 *                            buffer, one commit; a warm-up pass over the first 20,000 articles into a scratch folder first.
 *   query DIR QUERIES ROUNDS - each line `lo \t hi \t words`: every word in title or body (AND), date in [lo, hi], top 10
 *                            by BM25 with every hit counted, then the stored id, title and body of the 10; one thread,
 *                            one warm-up round.
 * Prints RESULT lines (key=value) and the process's peak RSS (VmHWM).
 */
public class ScaleJava {
  static String unesc(String s) {
    if (s.indexOf('\\') < 0) return s;
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\\' && i + 1 < s.length()) {
        char n = s.charAt(++i);
        sb.append(n == 't' ? '\t' : n == 'n' ? '\n' : n == 'r' ? '\r' : n);
      } else sb.append(c);
    }
    return sb.toString();
  }

  static long peakRssKb() throws IOException {
    for (String l : Files.readAllLines(Paths.get("/proc/self/status")))
      if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
    return -1;
  }

  static long dirSize(Path p) throws IOException {
    long s = 0;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) { for (Path f : ds) s += Files.size(f); }
    return s;
  }

  static void rmdir(Path p) throws IOException {
    if (!Files.exists(p)) return;
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(p)) { for (Path f : ds) Files.delete(f); }
    Files.delete(p);
  }

  static Document doc(String[] f) {
    Document d = new Document();
    long date = Long.parseLong(f[1]);
    d.add(new StringField("id", unesc(f[0]), Field.Store.YES));
    d.add(new TextField("title", unesc(f[2]), Field.Store.YES));
    d.add(new TextField("body", unesc(f[3]), Field.Store.YES));
    d.add(new LongPoint("date", date));
    d.add(new NumericDocValuesField("date", date));
    return d;
  }

  /** Indexes up to `limit` lines of the TSV; returns {articles, seconds}. Lines are read by one thread and handed out in batches. */
  static double[] index(String tsv, Path dir, int threads, int limit) throws Exception {
    rmdir(dir);
    long t0 = System.nanoTime();
    Directory d = FSDirectory.open(dir);
    IndexWriterConfig c = new IndexWriterConfig(new SmartChineseAnalyzer());
    c.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
    c.setRAMBufferSizeMB(256);
    c.setSimilarity(new BM25Similarity());
    IndexWriter w = new IndexWriter(d, c);
    java.util.concurrent.BlockingQueue<List<String>> q = new java.util.concurrent.ArrayBlockingQueue<>(64);
    List<String> poison = new ArrayList<>();
    long[] count = new long[1];
    Thread[] ts = new Thread[threads];
    for (int t = 0; t < threads; t++) {
      ts[t] = new Thread(() -> {
        try {
          for (List<String> batch = q.take(); batch != poison; batch = q.take())
            for (String line : batch) w.addDocument(doc(line.split("\t", -1)));
          q.put(poison);
        } catch (Exception e) { throw new RuntimeException(e); }
      });
      ts[t].start();
    }
    try (BufferedReader r = Files.newBufferedReader(Paths.get(tsv), StandardCharsets.UTF_8)) {
      List<String> batch = new ArrayList<>(256);
      String line;
      while (count[0] < limit && (line = r.readLine()) != null) {
        batch.add(line);
        count[0]++;
        if (batch.size() == 256) { q.put(batch); batch = new ArrayList<>(256); }
      }
      if (!batch.isEmpty()) q.put(batch);
      q.put(poison);
    }
    for (Thread th : ts) th.join();
    w.commit();
    w.close();
    d.close();
    return new double[] { count[0], (System.nanoTime() - t0) / 1e9 };
  }

  static Query build(String line) {
    String[] f = line.split("\t");
    BooleanQuery.Builder b = new BooleanQuery.Builder();
    for (String word : f[2].split(" ")) {
      BooleanQuery.Builder inner = new BooleanQuery.Builder();
      inner.add(new TermQuery(new Term("title", word)), BooleanClause.Occur.SHOULD);
      inner.add(new TermQuery(new Term("body", word)), BooleanClause.Occur.SHOULD);
      b.add(inner.build(), BooleanClause.Occur.MUST);
    }
    b.add(LongPoint.newRangeQuery("date", Long.parseLong(f[0]), Long.parseLong(f[1])), BooleanClause.Occur.FILTER);
    return b.build();
  }

  static void query(String dir, String qfile, int rounds) throws Exception {
    List<String> qs = Files.readAllLines(Paths.get(qfile), StandardCharsets.UTF_8);
    try (Directory d = FSDirectory.open(Paths.get(dir)); DirectoryReader r = DirectoryReader.open(d)) {
      IndexSearcher s = new IndexSearcher(r);
      s.setSimilarity(new BM25Similarity());
      s.setQueryCache(null);
      long[] lat = new long[qs.size() * rounds];
      int li = 0;
      long hits = 0, chars = 0;
      for (int round = -1; round < rounds; round++) {
        for (String line : qs) {
          long q0 = System.nanoTime();
          TopScoreDocCollector col = TopScoreDocCollector.create(10, Integer.MAX_VALUE);
          s.search(build(line), col);
          TopDocs td = col.topDocs();
          for (ScoreDoc sd : td.scoreDocs) {
            Document doc = s.doc(sd.doc);
            chars += doc.get("id").length() + doc.get("title").length() + doc.get("body").length();
          }
          hits += td.totalHits.value;
          if (round >= 0) lat[li++] = System.nanoTime() - q0;
        }
      }
      long[] m = Arrays.copyOf(lat, li);
      Arrays.sort(m);
      double tot = 0; for (long x : m) tot += x;
      System.out.printf(Locale.ROOT, "RESULT impl=java8 mode=query queries=%d p50_ms=%.3f p99_ms=%.3f mean_ms=%.3f qps=%.1f hits=%d stored_chars=%d docs=%d segments=%d peak_rss_kb=%d%n",
          m.length, m[m.length / 2] / 1e6, m[Math.min(m.length - 1, (int) Math.ceil(m.length * 0.99) - 1)] / 1e6, tot / m.length / 1e6, m.length / (tot / 1e9), hits, chars,
          r.numDocs(), r.leaves().size(), peakRssKb());
    }
  }

  public static void main(String[] a) throws Exception {
    switch (a[0]) {
      case "index": {
        int threads = Integer.parseInt(a[3]);
        double[] warm = index(a[1], Paths.get(a[2] + "-warmup"), threads, 20_000);
        rmdir(Paths.get(a[2] + "-warmup"));
        double[] run = index(a[1], Paths.get(a[2]), threads, Integer.MAX_VALUE);
        System.out.printf(Locale.ROOT, "RESULT impl=java8 mode=index threads=%d articles=%d secs=%.1f docs_per_s=%.1f warmup_docs_per_s=%.1f size_bytes=%d peak_rss_kb=%d%n",
            threads, (long) run[0], run[1], run[0] / run[1], warm[0] / warm[1], dirSize(Paths.get(a[2])), peakRssKb());
        break;
      }
      case "query":
        query(a[1], a[2], Integer.parseInt(a[3]));
        break;
      default:
        throw new IllegalArgumentException("index TSV DIR THREADS | query DIR QUERIES ROUNDS");
    }
  }
}
