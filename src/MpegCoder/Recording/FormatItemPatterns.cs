using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace MpegCoder.Recording;

/// <summary>
/// Regular expressions for what a format item of a recording's path can print with the invariant culture:
/// <c>{0:...}</c>, a date, and <c>{1:...}</c>, a file number. They describe the text of the format
/// (digits where it prints digits, the invariant names of months and days), so a name that another
/// program chose does not pass for one of the recorder's. A format they do not understand is refused
/// with <see cref="FormatException"/>: a recorder that deletes files must know which files it made.
/// </summary>
internal static class FormatItemPatterns
{
    private const string Digit = "[0-9]";
    private static readonly DateTimeFormatInfo Invariant = DateTimeFormatInfo.InvariantInfo;

    /// <summary>The pattern of a date printed with <paramref name="format"/> (null or empty: the general "G").</summary>
    /// <exception cref="FormatException">A format whose output cannot be described safely.</exception>
    public static string Date(string? format)
    {
        if (string.IsNullOrEmpty(format)) format = "G";
        if (format.Length == 1) format = StandardDatePattern(format[0]);
        var pattern = new StringBuilder();
        for (int i = 0; i < format.Length; i++)
        {
            char c = format[i];
            switch (c)
            {
                case '\'' or '"':
                    int close = format.IndexOf(c, i + 1);
                    if (close < 0) throw new FormatException($"the date format '{format}' has an unclosed quote");
                    pattern.Append(Regex.Escape(format[(i + 1)..close]));
                    i = close;
                    continue;
                case '\\':
                    if (i + 1 < format.Length) pattern.Append(Regex.Escape(format[++i].ToString()));
                    continue;
                case '%':
                    continue; // "%d": the next letter alone, as a custom specifier
                case ':':
                    pattern.Append(Regex.Escape(Invariant.TimeSeparator));
                    continue;
                case '/':
                    pattern.Append(Regex.Escape(Invariant.DateSeparator));
                    continue;
            }
            int run = 1;
            while (i + run < format.Length && format[i + run] == c) run++;
            string? specifier = DateSpecifier(c, run);
            if (specifier is null)
            {
                pattern.Append(Regex.Escape(c.ToString()));
                continue;
            }
            pattern.Append(specifier);
            i += run - 1;
        }
        return pattern.ToString();
    }

    /// <summary>The pattern of a file number printed with <paramref name="format"/> (null or empty: "G").</summary>
    /// <exception cref="FormatException">A format whose output cannot be described safely (grouping, decimals, exponents...).</exception>
    public static string Number(string? format)
    {
        if (string.IsNullOrEmpty(format)) return Digit + "+";
        char kind = format[0];
        string rest = format[1..];
        // "G" with a precision prints large numbers in exponent form: only the plain "G".
        if (kind is 'G' or 'g' && rest.Length == 0) return Digit + "+";
        if (kind is 'D' or 'd' or 'X' or 'x' && rest.Length <= 2 && rest.All(char.IsAsciiDigit))
        {
            int width = rest.Length == 0 ? 1 : int.Parse(rest, CultureInfo.InvariantCulture);
            string digit = kind switch { 'X' => "[0-9A-F]", 'x' => "[0-9a-f]", _ => Digit };
            return width <= 1 ? digit + "+" : $"{digit}{{{width},}}";
        }
        if (format.All(ch => ch is '0' or '#'))
        {
            int zeros = format.Count(ch => ch == '0');
            return zeros == 0 ? Digit + "*" : $"{Digit}{{{zeros},}}";
        }
        throw new FormatException($"the number format '{format}' is not one of G, D, X or zeros and #");
    }

    /// <summary>The custom pattern of a one-letter standard date format, as the invariant culture prints it.</summary>
    private static string StandardDatePattern(char standard)
    {
        try
        {
            return Invariant.GetAllDateTimePatterns(standard)[0];
        }
        catch (ArgumentException)
        {
            return standard.ToString(); // not a standard format: one custom specifier ("%d" without the %)
        }
    }

    /// <summary>The pattern of <paramref name="run"/> repeats of the custom date specifier <paramref name="letter"/>; null when it is not one.</summary>
    private static string? DateSpecifier(char letter, int run) => letter switch
    {
        'y' => run switch { 1 => Digits(1, 2), 2 => Digits(2, 2), _ => $"{Digit}{{{run},}}" },
        'M' => run switch { 1 => Digits(1, 2), 2 => Digits(2, 2), 3 => Names(Invariant.AbbreviatedMonthNames), _ => Names(Invariant.MonthNames) },
        'd' => run switch { 1 => Digits(1, 2), 2 => Digits(2, 2), 3 => Names(Invariant.AbbreviatedDayNames), _ => Names(Invariant.DayNames) },
        'h' or 'H' or 'm' or 's' => run == 1 ? Digits(1, 2) : Digits(2, 2),
        'f' => run <= 7 ? Digits(run, run) : throw new FormatException($"'{new string('f', run)}': at most 7 digits of a second"),
        'F' => run <= 7 ? Digits(0, run) : throw new FormatException($"'{new string('F', run)}': at most 7 digits of a second"),
        't' => run == 1 ? Names([Invariant.AMDesignator[..1], Invariant.PMDesignator[..1]]) : Names([Invariant.AMDesignator, Invariant.PMDesignator]),
        'g' => Names([Invariant.GetEraName(1)]),
        'z' => run switch { 1 => "[+-]" + Digits(1, 2), 2 => "[+-]" + Digits(2, 2), _ => $"[+-]{Digits(2, 2)}{Regex.Escape(Invariant.TimeSeparator)}{Digits(2, 2)}" },
        'K' => $"(?:Z|[+-]{Digits(2, 2)}:{Digits(2, 2)})?",
        _ => null,
    };

    private static string Digits(int least, int most) => least == most ? $"{Digit}{{{least}}}" : $"{Digit}{{{least},{most}}}";

    private static string Names(IEnumerable<string> names) =>
        "(?:" + string.Join('|', names.Where(n => n.Length > 0).Distinct().Select(Regex.Escape)) + ")";
}
