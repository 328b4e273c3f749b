namespace NewsSearch.Eval;

/// <summary>
/// How likely a difference between two rankings' per-query scores is to be chance: the paired randomisation test
/// (Fisher's sign-flip test; Smucker, Allan and Carterette 2007 found it the sound choice for IR metrics). If the two
/// rankings were interchangeable, each query's difference would be as likely to have the other sign; the p-value is
/// the share of random sign assignments whose mean difference is at least as far from 0 as the one observed.
/// </summary>
public static class PairedTest
{
    /// <summary>Random sign assignments drawn; the p-value's resolution is about 1 / this.</summary>
    public const int Rounds = 10_000;

    /// <summary>
    /// The two-sided p-value of the mean of <paramref name="differences"/> (one per query, a − b) under random sign
    /// flips, counting the observed assignment itself, so never 0. All-zero differences give 1. Seeded: the same
    /// differences always give the same p.
    /// </summary>
    /// <exception cref="ArgumentException">A difference that is NaN or infinite (its p would be meaningless).</exception>
    public static double SignFlipP(IReadOnlyList<double> differences, int rounds = Rounds, int seed = 20261128)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(rounds, 1);
        if (differences.Any(d => !double.IsFinite(d)))
            throw new ArgumentException("every difference must be a finite number", nameof(differences));
        if (differences.Count == 0) return 1;
        var observed = Math.Abs(differences.Sum());
        // Sums that differ only in their last bits (the same values added in another order) count as equal.
        var tolerance = 1e-9 * (1 + differences.Sum(Math.Abs));
        var random = new Random(seed);
        var atLeast = 1;
        for (var r = 0; r < rounds; r++)
        {
            var sum = 0d;
            foreach (var d in differences) sum += random.Next(2) == 0 ? d : -d;
            if (Math.Abs(sum) >= observed - tolerance) atLeast++;
        }
        return (double)atLeast / (rounds + 1);
    }

    /// <summary>The two-sided p-value as a report prints it: three decimals, or "p &lt; 0.001" below the test's resolution.</summary>
    public static string Format(double p) =>
        p < 0.001 ? "p < 0.001" : string.Create(System.Globalization.CultureInfo.InvariantCulture, $"p {p:F3}");
}
