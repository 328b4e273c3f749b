using NewsSearch.Repl.Commands;

namespace NewsSearch.Repl.Tests;

public class CommandInterpreterTests
{
    private static readonly ReplSettings Defaults = ReplSettings.Default;

    private static ReplSettings SettingsAfter(string line, ReplSettings? before = null) =>
        CommandInterpreter.Parse(line, before ?? Defaults) is SettingsCommand s
            ? s.Settings
            : throw new AssertionException($"'{line}' did not change the settings");

    [Test]
    public void Parse_PlainWords_AreASearchForTheTrimmedLine()
    {
        Assert.That(CommandInterpreter.Parse("  芯片 产业 ", Defaults), Is.EqualTo(new SearchCommand("芯片 产业")));
    }

    [TestCase("")]
    [TestCase("   ")]
    public void Parse_BlankLine_IsNoCommand(string line)
    {
        Assert.That(CommandInterpreter.Parse(line, Defaults), Is.TypeOf<NoCommand>());
    }

    [Test]
    public void Parse_EndOfInput_IsQuit()
    {
        Assert.That(CommandInterpreter.Parse(null, Defaults), Is.TypeOf<QuitCommand>());
    }

    [TestCase(":quit")]
    [TestCase(":q")]
    [TestCase(":QUIT")]
    [TestCase(":exit")]
    public void Parse_QuitAndItsAliases_AreQuit(string line)
    {
        Assert.That(CommandInterpreter.Parse(line, Defaults), Is.TypeOf<QuitCommand>());
    }

    [Test]
    public void Parse_FromADay_SetsTheLowerBound()
    {
        Assert.That(SettingsAfter(":from 2025-07-01").From, Is.EqualTo(new DateOnly(2025, 7, 1)));
    }

    [Test]
    public void Parse_ToOff_ClearsTheUpperBound()
    {
        var before = Defaults with { To = new DateOnly(2025, 7, 31) };
        Assert.That(SettingsAfter(":to off", before).To, Is.Null);
    }

    [Test]
    public void Parse_From_LeavesTheOtherSettingsAlone()
    {
        var before = new ReplSettings(To: new DateOnly(2025, 8, 1), PageSize: 5, Order: ResultOrder.Oldest);
        Assert.That(SettingsAfter(":from 2025-07-01", before), Is.EqualTo(before with { From = new DateOnly(2025, 7, 1) }));
    }

    [TestCase(":from 2025-7-1")]
    [TestCase(":from 2025-02-30")]
    [TestCase(":to yesterday")]
    [TestCase(":from")]
    public void Parse_FromOrToWithoutAValidDay_IsInvalidAndSaysTheFormat(string line)
    {
        Assert.That(CommandInterpreter.Parse(line, Defaults), Is.TypeOf<InvalidCommand>()
            .With.Property(nameof(InvalidCommand.Message)).Contains("YYYY-MM-DD"));
    }

    [TestCase(":size 1", 1)]
    [TestCase(":size 25", 25)]
    [TestCase(":size 100", 100)]
    public void Parse_SizeInRange_SetsThePageSize(string line, int expected)
    {
        Assert.That(SettingsAfter(line).PageSize, Is.EqualTo(expected));
    }

    [TestCase(":size 0")]
    [TestCase(":size 101")]
    [TestCase(":size -5")]
    [TestCase(":size ten")]
    [TestCase(":size")]
    public void Parse_SizeOutOfRangeOrNotANumber_IsInvalid(string line)
    {
        Assert.That(CommandInterpreter.Parse(line, Defaults), Is.TypeOf<InvalidCommand>());
    }

    [TestCase(":sort relevance", "relevance")]
    [TestCase(":sort newest", "newest")]
    [TestCase(":sort Oldest", "oldest")]
    public void Parse_SortByName_SetsTheOrder(string line, string expected)
    {
        var before = Defaults with { Order = expected == "oldest" ? ResultOrder.Newest : ResultOrder.Oldest };
        Assert.That(ReplSettings.Describe(SettingsAfter(line, before).Order), Is.EqualTo(expected));
    }

    [Test]
    public void Parse_SortByUnknownName_IsInvalidAndListsTheChoices()
    {
        Assert.That(CommandInterpreter.Parse(":sort date", Defaults), Is.TypeOf<InvalidCommand>()
            .With.Property(nameof(InvalidCommand.Message)).Contains("relevance, newest or oldest"));
    }

    [Test]
    public void Parse_GetWithAnId_AsksForThatArticle()
    {
        Assert.That(CommandInterpreter.Parse(":get 000_df2e5f634929cce1", Defaults),
            Is.EqualTo(new GetArticleCommand("000_df2e5f634929cce1")));
    }

    [Test]
    public void Parse_GetWithoutAnId_IsInvalid()
    {
        Assert.That(CommandInterpreter.Parse(":get", Defaults), Is.TypeOf<InvalidCommand>());
    }

    [TestCase(":next", typeof(NextPageCommand))]
    [TestCase(":stats", typeof(StatsCommand))]
    [TestCase(":help", typeof(HelpCommand))]
    public void Parse_CommandsWithoutArguments_AreRecognised(string line, Type expected)
    {
        Assert.That(CommandInterpreter.Parse(line, Defaults), Is.TypeOf(expected));
    }

    [Test]
    public void Parse_NextWithAnArgument_IsInvalid()
    {
        Assert.That(CommandInterpreter.Parse(":next 2", Defaults), Is.TypeOf<InvalidCommand>());
    }

    [Test]
    public void Parse_UnknownCommand_IsInvalidAndPointsToHelp()
    {
        Assert.That(CommandInterpreter.Parse(":frobnicate", Defaults), Is.TypeOf<InvalidCommand>()
            .With.Property(nameof(InvalidCommand.Message)).Contains(":help"));
    }

    [Test]
    public void Parse_SettingsCommand_DoesNotChangeTheSettingsItWasGiven()
    {
        var before = Defaults;
        _ = CommandInterpreter.Parse(":size 50", before);
        Assert.That(before.PageSize, Is.EqualTo(ReplSettings.DefaultPageSize));
    }
}
