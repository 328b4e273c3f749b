using System.Globalization;

namespace NewsSearch.Engine.Ingestion;

/// <summary>Parses the date forms articles and requests use, in the service's time zone.</summary>
public static class Dates
{
    /// <summary>
    /// Parses <c>YYYY-MM-DD</c> (the start of that day in <paramref name="zone"/>), <c>YYYY-MM-DD HH:mm[:ss]</c>
    /// (local time in <paramref name="zone"/>) or an RFC 3339 instant with offset.
    /// </summary>
    public static bool TryParseInstant(string? value, TimeZoneInfo zone, out DateTimeOffset instant, out bool dateOnly)
    {
        instant = default;
        dateOnly = false;
        if (string.IsNullOrWhiteSpace(value)) return false;
        value = value.Trim();
        if (DateOnly.TryParseExact(value, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day))
        {
            instant = StartOfDay(day, zone);
            dateOnly = true;
            return true;
        }
        if (DateTime.TryParseExact(value, ["yyyy-MM-dd HH:mm:ss", "yyyy-MM-dd HH:mm", "yyyy-MM-ddTHH:mm:ss", "yyyy-MM-ddTHH:mm"],
                CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            instant = new DateTimeOffset(local, zone.GetUtcOffset(local));
            return true;
        }
        // RFC 3339 requires an offset ('Z' or ±hh:mm); a bare local time is ambiguous and was handled above.
        if (value.Length >= 20 && (value.EndsWith('Z') || value.EndsWith('z') || value[^6] is '+' or '-') &&
            DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AllowWhiteSpaces, out instant))
            return true;
        return false;
    }

    /// <summary>The first instant of <paramref name="day"/> in <paramref name="zone"/>.</summary>
    public static DateTimeOffset StartOfDay(DateOnly day, TimeZoneInfo zone)
    {
        var local = day.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>Resolves an IANA (or Windows) zone id.</summary>
    public static TimeZoneInfo FindZone(string id) => TimeZoneInfo.FindSystemTimeZoneById(id);
}
