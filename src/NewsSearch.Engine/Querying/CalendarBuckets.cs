using System.Globalization;
using NewsSearch.Engine.Ingestion;

namespace NewsSearch.Engine.Querying;

/// <summary>
/// Calendar periods in a time zone: where the day, ISO week (Monday first), month or year holding an instant starts,
/// where the next one starts, and its label. A period starts at local midnight (<see cref="Dates.StartOfDay"/>).
/// </summary>
internal sealed class CalendarBuckets(FacetInterval interval, TimeZoneInfo zone)
{
    public FacetInterval Interval { get; } = interval;

    /// <summary>The local date the period holding <paramref name="ms"/> (Unix milliseconds) starts on.</summary>
    public DateOnly PeriodOf(long ms)
    {
        var utc = DateTimeOffset.FromUnixTimeMilliseconds(ms).UtcDateTime;
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTimeFromUtc(utc, zone));
        return Interval switch
        {
            FacetInterval.Day => day,
            // ISO 8601: Monday is the first day. 0001-01-01 was a Monday, so this never goes below DateOnly.MinValue.
            FacetInterval.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            FacetInterval.Month => new DateOnly(day.Year, day.Month, 1),
            FacetInterval.Year => new DateOnly(day.Year, 1, 1),
            _ => throw new InvalidOperationException($"no periods for {Interval}"),
        };
    }

    /// <summary>The start of the period after the one starting on <paramref name="start"/>; null past 9999-12-31.</summary>
    public DateOnly? Next(DateOnly start)
    {
        try
        {
            return Interval switch
            {
                FacetInterval.Day => start.AddDays(1),
                FacetInterval.Week => start.AddDays(7),
                FacetInterval.Month => start.AddMonths(1),
                _ => start.AddYears(1),
            };
        }
        catch (ArgumentOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>The instant (Unix milliseconds) a period starts, or <see cref="long.MaxValue"/> for the end of the calendar.</summary>
    public long StartMs(DateOnly? start) =>
        start is { } d ? Dates.StartOfDay(d, zone).ToUnixTimeMilliseconds() : long.MaxValue;

    public DateTimeOffset Instant(long ms) => TimeZoneInfo.ConvertTime(DateTimeOffset.FromUnixTimeMilliseconds(ms), zone);

    public string Label(DateOnly start) => Interval switch
    {
        FacetInterval.Month => start.ToString("yyyy-MM", CultureInfo.InvariantCulture),
        FacetInterval.Year => start.ToString("yyyy", CultureInfo.InvariantCulture),
        _ => start.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
    };
}
