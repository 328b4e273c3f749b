using System.ComponentModel.DataAnnotations;

namespace NewsSearch.Server;

/// <summary>An options object's data annotations, checked as one sentence per failure naming the key and its value.</summary>
internal static class OptionAnnotations
{
    /// <param name="secrets">Members whose values are never repeated (a log would keep them).</param>
    public static List<string> Failures(object options, string section, params string[] secrets)
    {
        var results = new List<ValidationResult>();
        Validator.TryValidateObject(options, new ValidationContext(options), results, validateAllProperties: true);
        return results.SelectMany(r => r.MemberNames.Select(member => secrets.Contains(member)
                ? r.ErrorMessage ?? $"{section}:{member} is not valid"
                : $"{section}:{member}: '{options.GetType().GetProperty(member)?.GetValue(options)}' is not allowed ({r.ErrorMessage})"))
            .ToList();
    }
}
