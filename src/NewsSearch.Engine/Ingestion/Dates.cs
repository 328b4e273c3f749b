using System.Globalization;

namespace NewsSearch.Engine.Ingestion;

/// <summary>
/// Parses the date forms articles and requests use, in the service's time zone. Never throws: an instant that falls
/// outside what <see cref="DateTimeOffset"/> can hold (0001-01-01 in a zone east of UTC, 9999-12-31 late in a zone
/// west of it) is clamped to <see cref="DateTimeOffset.MinValue"/> or <see cref="DateTimeOffset.MaxValue"/>.
/// </summary>
public static class Dates
{
    private static readonly string[] LocalFormats = ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm"];

    /// <summary>
    /// Parses <c>YYYY-MM-DD</c> (the start of that day in <paramref name="zone"/>), <c>YYYY-MM-DD HH:mm[:ss]</c>
    /// (local time in <paramref name="zone"/>) or an RFC 3339 instant with offset.
    /// </summary>
    public static bool TryParseInstant(string? value, TimeZoneInfo zone, out DateTimeOffset instant, out bool dateOnly)
    {
        var parsed = TryParse(value, zone, out instant, out var day);
        dateOnly = day is not null;
        return parsed;
    }

    /// <summary>As <see cref="TryParseInstant"/>; <paramref name="day"/> is the day when the value is a bare <c>YYYY-MM-DD</c>.</summary>
    public static bool TryParse(string? value, TimeZoneInfo zone, out DateTimeOffset instant, out DateOnly? day)
    {
        instant = default;
        day = null;
        if (string.IsNullOrWhiteSpace(value)) return false;
        value = value.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d))
        {
            instant = StartOfDay(d, zone);
            day = d;
            return true;
        }
        if (DateTime.TryParseExact(value, LocalFormats, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            instant = AtOffset(local, zone.GetUtcOffset(local));
            return true;
        }
        // RFC 3339 requires an offset ('Z' or ±hh:mm); a bare local time is ambiguous and was handled above.
        if (value.Length < 20) return false;
        value = WithAtMostSevenFractionDigits(value);
        // RFC 3339 allows a leap second, :60, at the end of a minute; DateTimeOffset holds none. It is read as the
        // instant the minute ends (23:59:60Z as the next day's 00:00:00Z), which is where a clock that skips it is.
        if (value.Length > 19 && value[16] == ':' && value[17] == '6' && value[18] == '0' && value[19] is '.' or 'Z' or 'z' or '+' or '-')
        {
            if (!TryParse(string.Concat(value.AsSpan(0, 17), "59", value.AsSpan(19)), zone, out var last, out _)) return false;
            instant = last > DateTimeOffset.MaxValue.AddSeconds(-1) ? DateTimeOffset.MaxValue : last.AddSeconds(1);
            return true;
        }
        if (value.EndsWith('Z') || value.EndsWith('z'))
            return TryParseWithOffset(value, value[..^1], TimeSpan.Zero, out instant);
        if (value[^6] is '+' or '-' && value[^3] == ':' &&
            int.TryParse(value.AsSpan(value.Length - 5, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var hours) &&
            int.TryParse(value.AsSpan(value.Length - 2, 2), NumberStyles.None, CultureInfo.InvariantCulture, out var minutes) &&
            minutes < 60 && hours * 60 + minutes <= 14 * 60)
        {
            var offset = new TimeSpan(hours, minutes, 0);
            return TryParseWithOffset(value, value[..^6], value[^6] == '-' ? -offset : offset, out instant);
        }
        return false;
    }

    /// <summary>
    /// <paramref name="value"/> with the digits of its seconds' fraction past the seventh dropped. RFC 3339 allows any
    /// number, <see cref="DateTimeOffset"/> holds 100 ns and rounds the rest, so 9999-12-31T23:59:59.99999999Z rounded
    /// past the last instant and was refused. Dropping them moves an instant by less than 100 ns, below any date here.
    /// </summary>
    private static string WithAtMostSevenFractionDigits(string value)
    {
        const int FractionStart = 20; // "yyyy-MM-ddTHH:mm:ss." is 20 characters
        if (value.Length <= FractionStart || value[FractionStart - 1] != '.') return value;
        var end = FractionStart;
        while (end < value.Length && char.IsAsciiDigit(value[end])) end++;
        return end - FractionStart <= 7 ? value : string.Concat(value.AsSpan(0, FractionStart + 7), value.AsSpan(end));
    }

    private static bool TryParseWithOffset(string value, string localPart, TimeSpan offset, out DateTimeOffset instant)
    {
        if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out instant))
            return true;
        // Out of range once the offset is applied (0001-01-01T00:00:00+08:00): parse the local part and clamp.
        if (DateTime.TryParse(localPart, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out var local))
        {
            instant = AtOffset(local, offset);
            return true;
        }
        instant = default;
        return false;
    }

    /// <summary>The first instant of <paramref name="day"/> in <paramref name="zone"/>, clamped to what <see cref="DateTimeOffset"/> holds.</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return AtOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>The last millisecond of <paramref name="day"/> in <paramref name="zone"/>, clamped like <see cref="StartOfDay"/>.</summary>
    public static DateTimeOffset EndOfDay(DateOnly day, TimeZoneInfo zone)
    {
        if (day == DateOnly.MaxValue) return DateTimeOffset.MaxValue;
        var next = StartOfDay(day.AddDays(1), zone);
        return next == DateTimeOffset.MinValue ? next : next.AddMilliseconds(-1);
    }

    /// <summary>
    /// <paramref name="local"/> at <paramref name="offset"/>; when the UTC instant would fall outside 0001..9999 the
    /// nearest end of the range instead of an exception.
    /// </summary>
    private static DateTimeOffset AtOffset(DateTime local, TimeSpan offset)
    {
        var utcTicks = local.Ticks - offset.Ticks;
        if (utcTicks < DateTimeOffset.MinValue.UtcTicks) return DateTimeOffset.MinValue;
        if (utcTicks > DateTimeOffset.MaxValue.UtcTicks) return DateTimeOffset.MaxValue;
        return new DateTimeOffset(DateTime.SpecifyKind(local, DateTimeKind.Unspecified), offset);
    }

    /// <summary>Resolves an IANA (or Windows) zone id.</summary>
    public static TimeZoneInfo FindZone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);
}
