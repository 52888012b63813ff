using TicketFlash.Abstractions.Common;

namespace TicketFlash.Grains.Common;

internal static class DurableState
{
    /// <summary>
    /// Writes the state; if the write fails (a stale ETag, a timeout, the database away) memory may be ahead of storage,
    /// so the state is read back: the caller sees the truth, never an answer that was not stored. If even the read fails,
    /// <paramref name="deactivate"/> drops the activation so the next one loads from storage.
    /// </summary>
    public static async Task WriteOrReloadAsync<T>(this IPersistentState<T> state, Action deactivate)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception error)
        {
            try
            {
                await state.ReadStateAsync();
            }
            catch
            {
                deactivate();
            }
            throw new DomainException("The change could not be stored; retry the request.", error) { Code = DomainErrorCode.Unavailable };
        }
    }
}
