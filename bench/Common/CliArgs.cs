using System.Globalization;

namespace TicketFlash.Bench.Cli;

/// <summary>Minimal "--name value" / "--flag" parser; unknown options are reported, never ignored.</summary>
public sealed class CliArgs
{
    private readonly Dictionary<string, string?> _values = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<string> _used = new(StringComparer.OrdinalIgnoreCase);

    public CliArgs(IEnumerable<string> args)
    {
        string? pending = null;
        foreach (var arg in args)
        {
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                if (pending is not null) _values[pending] = null;
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                if (eq > 0)
                {
                    _values[arg[2..eq]] = arg[(eq + 1)..];
                    pending = null;
                }
                else
                {
                    pending = arg[2..];
                }
            }
            else if (pending is not null)
            {
                _values[pending] = arg;
                pending = null;
            }
            else
            {
                throw new CliException($"unexpected argument '{arg}'");
            }
        }
        if (pending is not null) _values[pending] = null;
    }

    public string? String(string name)
    {
        _used.Add(name);
        return _values.TryGetValue(name, out var v) ? v : null;
    }

    public string Required(string name, string? fallback = null)
    {
        var v = String(name) ?? fallback;
        if (string.IsNullOrWhiteSpace(v)) throw new CliException($"--{name} is required");
        return v;
    }

    public int Int(string name, int fallback, int min = 1)
    {
        var raw = String(name);
        if (raw is null) return fallback;
        if (!int.TryParse(raw, NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) || v < min)
            throw new CliException($"--{name} must be an integer >= {min}, got '{raw}'");
        return v;
    }

    public TimeSpan Seconds(string name, TimeSpan fallback)
    {
        var raw = String(name);
        if (raw is null) return fallback;
        if (!double.TryParse(raw, NumberStyles.Float, CultureInfo.InvariantCulture, out var s) || s <= 0)
            throw new CliException($"--{name} must be a positive number of seconds, got '{raw}'");
        return TimeSpan.FromSeconds(s);
    }

    public bool Flag(string name)
    {
        _used.Add(name);
        if (!_values.TryGetValue(name, out var v)) return false;
        return v is null || v.Equals("true", StringComparison.OrdinalIgnoreCase) || v == "1";
    }

    /// <summary>Call after reading every option: a typo must fail loudly, not run with defaults.</summary>
    public void EnsureAllUsed()
    {
        var unknown = _values.Keys.Where(k => !_used.Contains(k)).ToList();
        if (unknown.Count > 0) throw new CliException("unknown option(s): " + string.Join(", ", unknown.Select(u => "--" + u)));
    }
}

public sealed class CliException(string message) : Exception(message);
