namespace NewsSearch.Eval;

/// <summary>The kinds of query the news probe covers.</summary>
public enum ProbeKind { Name, Code, Traditional, FullWidth, SingleChar, Phrase }

/// <summary>A probe query: what a journalist types, and by hand the literal it must find in the (Simplified,
/// half-width) corpus text. <see cref="IsCode"/> truths also require the code not to sit inside a longer run of
/// Latin letters or digits (G20 is not in G200 or AG20).</summary>
public sealed record ProbeQuery(ProbeKind Kind, string Query, string Expected)
{
    public bool IsCode => ProbeTruth.IsCode(Expected);
}

/// <summary>
/// The probe list. Chosen as a news reader would type them, not taken from any evaluation data; every expected form
/// occurs in the CCTV corpus (checked when the probe was written: counts of articles in the comments).
/// </summary>
public static class ProbeQueries
{
    public static readonly IReadOnlyList<ProbeQuery> All =
    [
        // Names SmartCn does not know (transliterated foreign names).
        new(ProbeKind.Name, "泽连斯基", "泽连斯基"),          // ~219
        new(ProbeKind.Name, "贝森特", "贝森特"),              // ~17
        new(ProbeKind.Name, "古特雷斯", "古特雷斯"),          // ~177
        new(ProbeKind.Name, "内塔尼亚胡", "内塔尼亚胡"),      // ~194
        new(ProbeKind.Name, "马克龙", "马克龙"),              // ~134
        new(ProbeKind.Name, "朔尔茨", "朔尔茨"),              // ~54
        new(ProbeKind.Name, "高市早苗", "高市早苗"),          // ~84
        new(ProbeKind.Name, "鲁比奥", "鲁比奥"),              // ~21

        // Codes: letters and digits kept whole.
        new(ProbeKind.Code, "G20", "g20"),                    // ~8
        new(ProbeKind.Code, "C919", "c919"),                  // ~60
        new(ProbeKind.Code, "5G", "5g"),                      // ~273
        new(ProbeKind.Code, "RCEP", "rcep"),                  // ~93
        new(ProbeKind.Code, "APEC", "apec"),                  // ~23
        new(ProbeKind.Code, "AG600", "ag600"),                // ~10 (AG600M is another code)
        new(ProbeKind.Code, "CR450", "cr450"),                // ~14
        new(ProbeKind.Code, "PM2.5", "pm2.5"),                // ~62

        // Traditional spellings of words the corpus has in Simplified.
        new(ProbeKind.Traditional, "習近平", "习近平"),       // ~7257
        new(ProbeKind.Traditional, "經濟", "经济"),           // ~6310
        new(ProbeKind.Traditional, "颱風", "台风"),           // ~231
        new(ProbeKind.Traditional, "臺灣", "台湾"),           // ~387
        new(ProbeKind.Traditional, "鐵路", "铁路"),           // ~1478
        new(ProbeKind.Traditional, "機場", "机场"),           // ~998

        // Full-width letters and digits, as some input methods type them.
        new(ProbeKind.FullWidth, "Ｃ９１９", "c919"),
        new(ProbeKind.FullWidth, "Ｇ２０", "g20"),
        new(ProbeKind.FullWidth, "ＡＰＥＣ", "apec"),
        new(ProbeKind.FullWidth, "ＲＣＥＰ", "rcep"),
        new(ProbeKind.FullWidth, "５Ｇ", "5g"),
        new(ProbeKind.FullWidth, "ＧＤＰ", "gdp"),            // ~173

        // Single characters.
        new(ProbeKind.SingleChar, "虎", "虎"),                // ~201
        new(ProbeKind.SingleChar, "龙", "龙"),                // ~2176
        new(ProbeKind.SingleChar, "雪", "雪"),                // ~1180
        new(ProbeKind.SingleChar, "茶", "茶"),                // ~277
        new(ProbeKind.SingleChar, "鹤", "鹤"),                // ~176
        new(ProbeKind.SingleChar, "菊", "菊"),                // ~24

        // "Quoted phrases" that SmartCn cuts into several words.
        new(ProbeKind.Phrase, "\"一带一路\"", "一带一路"),                // ~1468
        new(ProbeKind.Phrase, "\"高质量发展\"", "高质量发展"),            // ~3224
        new(ProbeKind.Phrase, "\"人类命运共同体\"", "人类命运共同体"),    // ~724
        new(ProbeKind.Phrase, "\"新质生产力\"", "新质生产力"),            // ~614
        new(ProbeKind.Phrase, "\"全过程人民民主\"", "全过程人民民主"),    // ~172
        new(ProbeKind.Phrase, "\"中国式现代化\"", "中国式现代化"),        // ~1942
    ];
}
