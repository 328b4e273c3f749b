namespace NewsSearch.Engine.Querying;

/// <summary>
/// Counts hits by calendar period. The periods form one run without gaps: all of them from <c>published_from</c> to
/// <c>published_to</c> when both are given (so empty periods are there), otherwise a run that grows to take in each hit
/// as it comes; an open end is cut back to the first or last period holding a hit at the end. The run never holds more
/// than <c>maxBuckets</c> periods: one more is a bad request, refused as soon as it is seen (before searching when both
/// bounds are given), so neither the work nor the memory depends on how far apart the hits lie.
/// </summary>
internal sealed class DateHistogram
{
    public const string Field = "facets.date_histogram";

    private readonly CalendarBuckets _calendar;
    private readonly int _maxBuckets;
    private readonly bool _openStart, _openEnd;
    // Period i runs from _bounds[i] (inclusive) to _bounds[i + 1] (exclusive); _bounds has one entry more than _counts.
    private readonly List<DateOnly> _starts = [];
    private readonly List<long> _bounds = [];
    private readonly List<long> _counts = [];
    private int _last;

    /// <param name="from">Inclusive lower bound of the search, or null when open.</param>
    /// <param name="to">Inclusive upper bound of the search, or null when open.</param>
    /// <exception cref="InvalidRequestException">Both bounds are given and they span more than <paramref name="maxBuckets"/> periods.</exception>
    public DateHistogram(CalendarBuckets calendar, int maxBuckets, DateTimeOffset? from, DateTimeOffset? to)
    {
        _calendar = calendar;
        _maxBuckets = maxBuckets;
        _openStart = from is null;
        _openEnd = to is null;
        if (from is { } f) Extend(f.ToUnixTimeMilliseconds());
        if (to is { } t) Extend(t.ToUnixTimeMilliseconds());
    }

    /// <summary>Hits without a date.</summary>
    public long Undated { get; private set; }

    /// <summary>Counts a hit published at <paramref name="ms"/> (Unix milliseconds); <see cref="long.MinValue"/> means undated.</summary>
    /// <exception cref="InvalidRequestException">The hit lies so far from the others that the run would pass the limit.</exception>
    public void Add(long ms)
    {
        if (ms == long.MinValue)
        {
            Undated++;
            return;
        }
        // Hits come in index order, which mostly follows the seed files, so the last period is a good first guess.
        if (_counts.Count == 0 || ms < _bounds[_last] || ms >= _bounds[_last + 1])
        {
            if (_counts.Count == 0 || ms < _bounds[0] || ms >= _bounds[^1]) Extend(ms);
            var i = _bounds.BinarySearch(ms);
            // Clamped: in a zone whose clocks fall back over midnight, local midnight is taken at its later instance,
            // and a hit in the hour before it may lie before the first period's start.
            _last = Math.Clamp(i >= 0 ? i : ~i - 1, 0, _counts.Count - 1);
        }
        _counts[_last]++;
    }

    /// <summary>The periods, cut back at an open end to the first or last one holding a hit.</summary>
    public IReadOnlyList<DateBucket> Buckets()
    {
        int first = 0, last = _counts.Count - 1;
        if (_openStart) while (first <= last && _counts[first] == 0) first++;
        if (_openEnd) while (last >= first && _counts[last] == 0) last--;
        var buckets = new List<DateBucket>(Math.Max(0, last - first + 1));
        for (var i = first; i <= last; i++)
        {
            var end = _bounds[i + 1];
            buckets.Add(new DateBucket(_calendar.Instant(_bounds[i]), end == long.MaxValue ? null : _calendar.Instant(end),
                _calendar.Label(_starts[i]), _counts[i]));
        }
        return buckets;
    }

    /// <summary>Adds the periods between the run and the one holding <paramref name="ms"/>.</summary>
    private void Extend(long ms)
    {
        var period = _calendar.PeriodOf(ms);
        if (_counts.Count == 0)
        {
            Append(period);
            return;
        }
        if (ms >= _bounds[^1])
        {
            while (ms >= _bounds[^1]) Append(_calendar.Next(_starts[^1]) ?? throw new InvalidOperationException("no period after 9999"));
            return;
        }
        if (ms >= _bounds[0]) return;
        if (_calendar.StartMs(period) > ms) period = _calendar.PeriodOf(_calendar.StartMs(period) - 1);
        var before = new List<DateOnly>();
        for (DateOnly? d = period; d is { } day && day < _starts[0]; d = _calendar.Next(day))
        {
            before.Add(day);
            if (_counts.Count + before.Count > _maxBuckets) throw TooMany();
        }
        _starts.InsertRange(0, before);
        _bounds.InsertRange(0, before.Select(d => _calendar.StartMs(d)));
        _counts.InsertRange(0, new long[before.Count]);
        _last += before.Count;
    }

    private void Append(DateOnly start)
    {
        if (_counts.Count + 1 > _maxBuckets) throw TooMany();
        if (_bounds.Count == 0) _bounds.Add(_calendar.StartMs(start));
        _starts.Add(start);
        _bounds.Add(_calendar.StartMs(_calendar.Next(start)));
        _counts.Add(0);
    }

    private InvalidRequestException TooMany()
    {
        var longer = _calendar.Interval switch
        {
            FacetInterval.Day => "a longer interval (week, month or year) or ",
            FacetInterval.Week => "a longer interval (month or year) or ",
            FacetInterval.Month => "the year interval or ",
            _ => "",
        };
        return new(Field, $"the date histogram would need more than {_maxBuckets} buckets (the service's limit, Search:MaxFacetBuckets); " +
            $"ask for {longer}a narrower published_from/published_to range");
    }
}
