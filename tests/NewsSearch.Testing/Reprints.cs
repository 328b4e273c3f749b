namespace NewsSearch.Testing;

/// <summary>A news story, a reprint of it, and another story on the same topic, for near-duplicate tests.</summary>
public static class Reprints
{
    public static readonly string[] Paragraphs =
    [
        "国产大型客机C919今天上午从上海虹桥机场起飞，执行东方航空公司的首个商业航班，这标志着我国自主研制的大型客机正式进入民航运输市场。",
        "据介绍，C919是我国按照国际民航规章自行研制、具有自主知识产权的喷气式干线客机，座级158至192座，航程4075至5555公里。",
        "中国商飞公司表示，目前C919已经获得国内外客户的订单超过一千架，今后几年产能将逐步提升，以满足航空公司不断增长的需求。",
        "业内专家认为，C919投入商业运营，对于带动我国航空产业链发展、提升制造业水平具有重要意义。",
    ];

    public const string Title = "国产大飞机C919完成首次商业飞行";

    public static string Body => string.Join('\n', Paragraphs);

    /// <summary>The story reprinted: another headline, the last paragraph dropped, the first two swapped, an
    /// editor's note added, other punctuation, and Traditional characters in the opening paragraph.</summary>
    public const string ReprintTitle = "C919商業首航成功 大飛機時代來臨";

    public static string ReprintBody => string.Join('\n',
        "據介紹，C919是我國按照國際民航規章自行研製、具有自主知識產權的噴氣式幹線客機；座級158至192座、航程4075至5555公里。",
        "国产大型客机C919今天上午从上海虹桥机场起飞, 执行东方航空公司的首个商业航班, 这标志着我国自主研制的大型客机正式进入民航运输市场.",
        "中国商飞公司表示，目前C919已经获得国内外客户的订单超过一千架，今后几年产能将逐步提升，以满足航空公司不断增长的需求。",
        "（编者按：本文转载自央视新闻客户端。）");

    /// <summary>Another story on the same topic, written independently.</summary>
    public const string OtherTitle = "东航接收第二架国产C919客机";

    public const string OtherBody =
        "东方航空公司今天接收了第二架国产C919大型客机，这架飞机将在完成相关验证工作后投入上海至成都航线运营。\n" +
        "航空公司负责人说，机组人员已经完成了全部培训，地面保障设备也已准备就绪，首批航班的机票已经开始销售。\n" +
        "不少乘客在社交媒体上表示，希望早日乘坐国产大飞机出行，体验客舱的宽敞和舒适。";
}
