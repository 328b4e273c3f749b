using System.Globalization;
using CsCheck;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine.Tests.Ingestion;

/// <summary>Dates as requests and article files give them: never an exception, every calendar day, exact round trips.</summary>
public class DatesPropertyTests
{
    private static readonly TimeZoneInfo[] Zones =
        new[] { "Asia/Shanghai", "UTC", "Pacific/Kiritimati", "Etc/GMT+12", "America/New_York" }.Select(TimeZoneInfo.FindSystemTimeZoneById).ToArray();

    private static readonly Gen<TimeZoneInfo> Zone = Gen.OneOf(Zones);

    private static readonly Gen<DateOnly> AnyDay = Gen.Int[DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber].Select(DateOnly.FromDayNumber);

    /// <summary>Date-shaped text with numbers and offsets anywhere in or out of range.</summary>
    private static readonly Gen<string> DateShaped = Gen.Select(
        Gen.Int[-1, 10_000], Gen.Int[-1, 14], Gen.Int[-1, 33], Gen.Int[-1, 25], Gen.Int[-1, 61], Gen.OneOf("", "Z", "z", "+08:00", "-12:00", "+14:00", "+14:59", "-99:99", "+8", " "),
        Gen.OneOf("T", " ", "t", ""),
        (y, mo, d, h, mi, offset, sep) => $"{y:0000}-{mo:00}-{d:00}{sep}{h:00}:{mi:00}:{mi:00}{offset}");

    private static readonly Gen<string> AnyText = Gen.OneOf(Gen.String[Gen.Char, 0, 40], DateShaped,
        Gen.OneOf("0001-01-01", "9999-12-31", "0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59-12:00", "", "   ", "0000-00-00"));

    [Test]
    public void TryParseInstant_AnyText_NeverThrows() =>
        Gen.Select(AnyText, Zone).Sample((text, zone) => { Dates.TryParseInstant(text, zone, out _, out _); }, iter: 20_000);

    [Test]
    public void TryParseInstant_EveryDayFromYear1To9999_ParsesAsThatDay() =>
        Gen.Select(AnyDay, Zone).Sample((day, zone) =>
        {
            var text = day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
            return Dates.TryParseInstant(text, zone, out _, out var dateOnly) && dateOnly;
        }, iter: 20_000);

    [TestCase("0001-01-01")]
    [TestCase("9999-12-31")]
    public void TryParseInstant_FirstAndLastDays_ParseInEveryZone(string text)
    {
        foreach (var zone in Zones)
            Assert.That(Dates.TryParseInstant(text, zone, out _, out _), Is.True, zone.Id);
    }

    /// <summary>
    /// True when <paramref name="zone"/> changed its clocks within half a day of the day's midnight. .NET's rules then
    /// disagree with themselves where a zone changed its standard offset (Kiritimati skipped 1994-12-31 altogether,
    /// and its 1979-10-01 converts back to the day before), so such days are no "normal day" (2 of 73,000 here).
    /// </summary>
    private static bool ClocksChangeNear(DateOnly day, TimeZoneInfo zone)
    {
        var midnight = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return zone.GetUtcOffset(midnight.AddHours(-12)) != zone.GetUtcOffset(midnight.AddHours(12));
    }

    [Test]
    public void StartOfDay_NormalDays_FallsOnThatDayInTheZone() =>
        Gen.Select(Gen.Int[new DateOnly(1900, 1, 1).DayNumber, new DateOnly(2100, 12, 31).DayNumber].Select(DateOnly.FromDayNumber), Zone)
            .Where((day, zone) => !ClocksChangeNear(day, zone))
            .Sample((day, zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(Dates.StartOfDay(day, zone), zone).DateTime) == day, iter: 5_000);

    [Test]
    public void TryParseInstant_Rfc3339OfNormalInstants_RoundTripsExactly() =>
        Gen.Select(Gen.Long[new DateTime(1900, 1, 1).Ticks, new DateTime(2100, 1, 1).Ticks], Gen.Int[-14 * 4, 14 * 4])
            .Sample((ticks, quarters) =>
            {
                var instant = new DateTimeOffset(ticks / TimeSpan.TicksPerMillisecond * TimeSpan.TicksPerMillisecond, TimeSpan.FromMinutes(quarters * 15));
                var text = instant.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);
                return Dates.TryParseInstant(text, Zones[0], out var parsed, out var dateOnly) && !dateOnly && parsed == instant;
            }, iter: 5_000);

    [TestCase("2016-12-31T23:59:60Z", "2017-01-01T00:00:00Z")]
    [TestCase("2016-12-31T23:59:60.5Z", "2017-01-01T00:00:00.5Z")]
    [TestCase("2017-01-01T07:59:60+08:00", "2017-01-01T00:00:00Z")]
    [TestCase("9999-12-31T23:59:60Z", "9999-12-31T23:59:59.9999999Z")]
    public void TryParseInstant_LeapSecond_IsTheInstantItsMinuteEnds(string text, string expected)
    {
        Assert.That(Dates.TryParseInstant(text, TimeZoneInfo.Utc, out var instant, out _), Is.True);
        Assert.That(instant, Is.EqualTo(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture)));
    }

    [TestCase("2016-12-31T23:59:61Z")]
    [TestCase("2016-12-31T23:60:00Z")]
    public void TryParseInstant_SecondsOrMinutesPastTheLeapSecond_AreNotDates(string text) =>
        Assert.That(Dates.TryParseInstant(text, TimeZoneInfo.Utc, out _, out _), Is.False);

    [TestCase("2025-07-01 10:00", "Asia/Shanghai", "2025-07-01T02:00:00Z")]
    [TestCase("2025-07-01T10:00:30", "Asia/Shanghai", "2025-07-01T02:00:30Z")]
    [TestCase("2025-07-01 10:00:00", "America/New_York", "2025-07-01T14:00:00Z")]
    [TestCase("2025-01-01T10:00", "America/New_York", "2025-01-01T15:00:00Z")]
    public void TryParseInstant_WallClockWithoutOffset_IsThatTimeInTheServicesZone(string text, string zone, string expected)
    {
        Assert.That(Dates.TryParseInstant(text, TimeZoneInfo.FindSystemTimeZoneById(zone), out var instant, out var dateOnly), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(instant, Is.EqualTo(DateTimeOffset.Parse(expected, CultureInfo.InvariantCulture)));
            Assert.That(dateOnly, Is.False);
        });
    }
}
