namespace TicketFlash.Abstractions.CheckIn;

/// <summary>Field rules of a scan, defined once for the API (field-level 400) and the check-in grain (same predicate, same message).</summary>
public static class CheckInRules
{
    public const string CodeMessage = "the scanned code (1–512 characters) is required";
    public const string GateMessage = "gate is 1–64 characters";
    public const string DeviceIdMessage = "deviceId is 1–64 characters";

    public static bool IsCode(string? code) => code is { Length: > 0 and <= 512 };

    public static bool IsGate(string? gate) => gate is { Length: > 0 and <= 64 };

    public static bool IsDeviceId(string? deviceId) => deviceId is { Length: > 0 and <= 64 };
}
