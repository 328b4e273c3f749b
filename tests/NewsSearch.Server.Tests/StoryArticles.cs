using NewsSearch.Testing;

namespace NewsSearch.Server.Tests;

/// <summary>A small dated news file: one story told three times (first flight, its follow-up, a later delivery) and
/// unrelated articles around it.</summary>
internal static class StoryArticles
{
    public const string FirstFlight = "c919-first-flight", FollowUp = "c919-follow-up", Delivery = "c919-delivery";
    /// <summary>A reprint of <see cref="FirstFlight"/> under another headline, with an editor's note: its near-duplicate.</summary>
    public const string Reprint = "c919-first-flight-reprint";
    public static readonly string[] Unrelated = ["rain", "football", "harvest", "museum"];

    /// <summary>The real host serving <see cref="File"/>, once all its articles are indexed.</summary>
    public static async Task<RunningService> ServeAsync(params string[] extraArgs)
    {
        var service = await RunningService.StartAsync(s => s.WriteSeed("news.jsonl", File()), extraArgs);
        await RunningService.WaitUntil(async () => (await service.Client.GetStatsAsync(new Api.V1.GetStatsRequest())).ArticleCount == 8,
            TimeSpan.FromSeconds(20));
        return service;
    }

    public static string File() => Jsonl.Lines(
        Jsonl.Record(FirstFlight, "国产大飞机C919完成首次商业飞行",
            "5月28日，国产大飞机C919执行首次商业飞行，东方航空MU9191航班从上海虹桥机场起飞，平稳降落在北京首都机场。" +
            "这是C919首次投入商业运营，航班上共有一百多名旅客。中国商飞表示，C919的商业运营标志着国产大飞机正式进入民航市场。" +
            "东方航空机组表示，飞机操纵性能良好，旅客乘坐体验舒适。民航局将继续做好适航审定和运行监管工作。", "2023-05-28"),
        Jsonl.Record(Reprint, "C919首次商业飞行成功",
            "5月28日，国产大飞机C919执行首次商业飞行，东方航空MU9191航班从上海虹桥机场起飞，平稳降落在北京首都机场。" +
            "这是C919首次投入商业运营，航班上共有一百多名旅客。中国商飞表示，C919的商业运营标志着国产大飞机正式进入民航市场。" +
            "东方航空机组表示，飞机操纵性能良好，旅客乘坐体验舒适。民航局将继续做好适航审定和运行监管工作。（编辑：王明）", "2023-05-28"),
        Jsonl.Record(FollowUp, "C919商业运营满两周 东方航空计划增开航线",
            "国产大飞机C919投入商业运营已满两周。东方航空介绍，C919执飞上海虹桥至成都天府的航班，累计运送旅客数千人次，" +
            "航班正常率保持在较高水平。中国商飞表示，C919机队运行平稳，后续飞机将陆续交付。东方航空计划增开更多航线，" +
            "民航局继续加强运行监管，保障国产大飞机安全运营。不少旅客表示，乘坐国产大飞机感到自豪。", "2023-06-10"),
        Jsonl.Record(Delivery, "东方航空接收第二架国产大飞机C919",
            "东方航空在上海接收第二架国产大飞机C919。中国商飞表示，C919商业运营以来运行平稳，旅客反响良好，" +
            "新飞机将投入上海虹桥至北京首都的航班。民航局完成了相关适航审定工作，东方航空将继续扩大C919机队规模。", "2024-01-15"),
        Jsonl.Record("rain", "南方多地迎来强降雨 气象台发布暴雨预警",
            "受冷暖空气共同影响，江西、湖南、广东等地出现强降雨天气，部分地区降雨量超过一百毫米。中央气象台发布暴雨黄色预警，" +
            "提醒公众注意防范山洪和地质灾害，各地防汛部门加强值守，转移安置受威胁群众。", "2023-05-29"),
        Jsonl.Record("football", "中超联赛第十轮 上海海港主场取胜",
            "中超联赛第十轮比赛昨晚进行，上海海港队在主场以二比零战胜对手，继续领跑积分榜。两名前锋各进一球，" +
            "球队主教练赛后表示，球员们执行战术坚决，防守组织严密，下一轮将客场挑战实力强劲的对手。", "2023-06-01"),
        Jsonl.Record("harvest", "夏粮收购工作全面展开",
            "随着小麦陆续成熟，河南、山东、安徽等主产区夏粮收购工作全面展开。各地粮食部门增加收购网点，" +
            "优化服务流程，确保农民卖粮方便。今年小麦品质总体较好，收购价格保持稳定，农民增收有保障。", "2023-06-05"),
        Jsonl.Record("museum", "国家博物馆推出古代服饰文化展",
            "国家博物馆近日推出古代服饰文化展，展出历代服饰文物三百余件，观众可以了解中国服饰的发展历程。" +
            "展览还设置了互动体验区，吸引了大量青少年观众前来参观，暑期将延长开放时间。", "2023-06-08"));
}
