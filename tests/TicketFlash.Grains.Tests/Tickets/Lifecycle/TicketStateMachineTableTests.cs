using TicketFlash.Abstractions.Common;
using TicketFlash.Abstractions.Tickets;
using TicketFlash.Grains.Tickets;

namespace TicketFlash.Grains.Tests.Tickets.Lifecycle;

/// <summary>
/// The transition table, row by row: every legal (state, action) moves to its target; every other pair of the whole
/// state × action space is refused with InvalidState (409) naming the state and the action. Pure: no cluster.
/// </summary>
public sealed class TicketStateMachineTableTests
{
    private static readonly TicketStatus[] AllStates = Enum.GetValues<TicketStatus>();
    private static readonly TicketAction[] AllActions = Enum.GetValues<TicketAction>();

    public static TheoryData<TicketStatus, TicketAction, TicketStatus> LegalTransitions()
    {
        var data = new TheoryData<TicketStatus, TicketAction, TicketStatus>();
        foreach (var ((from, action), to) in TicketStateMachine.Transitions.OrderBy(t => t.Key.From).ThenBy(t => t.Key.Action)) data.Add(from, action, to);
        return data;
    }

    public static TheoryData<TicketStatus, TicketAction> IllegalTransitions()
    {
        var data = new TheoryData<TicketStatus, TicketAction>();
        foreach (var from in AllStates)
        {
            foreach (var action in AllActions)
            {
                if (!TicketStateMachine.Transitions.ContainsKey((from, action))) data.Add(from, action);
            }
        }
        return data;
    }

    public static TheoryData<TicketStatus> States() => new(AllStates);

    [Theory]
    [MemberData(nameof(LegalTransitions))]
    public void Every_row_of_the_table_is_a_legal_move_to_its_target(TicketStatus from, TicketAction action, TicketStatus to)
    {
        Assert.True(TicketStateMachine.TryMove(from, action, out var target), $"{from} --{action}--> should be legal");
        Assert.Equal(to, target);
        Assert.Equal(to, TicketStateMachine.Move(from, action));
    }

    [Theory]
    [MemberData(nameof(IllegalTransitions))]
    public void Every_pair_outside_the_table_is_refused_with_InvalidState_naming_the_state_and_the_action(TicketStatus from, TicketAction action)
    {
        Assert.False(TicketStateMachine.TryMove(from, action, out _));

        var refusal = Assert.Throws<DomainException>(() => TicketStateMachine.Move(from, action));

        Assert.Equal(DomainErrorCode.InvalidState, refusal.Code);
        Assert.Contains(from.ToString(), refusal.Message, StringComparison.Ordinal);
        Assert.Contains(action.ToString(), refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_legal_and_illegal_rows_cover_the_whole_state_by_action_space()
    {
        Assert.Equal(AllStates.Length * AllActions.Length, LegalTransitions().Count() + IllegalTransitions().Count());
        Assert.All(TicketStateMachine.Transitions.Keys, k =>
        {
            Assert.True(Enum.IsDefined(k.From), $"undefined state {k.From}");
            Assert.True(Enum.IsDefined(k.Action), $"undefined action {k.Action}");
        });
        Assert.All(TicketStateMachine.Transitions.Values, to => Assert.True(Enum.IsDefined(to), $"undefined target {to}"));
    }

    [Theory]
    [MemberData(nameof(States))]
    public void Only_Active_and_Transferred_tickets_are_admissible(TicketStatus status)
    {
        var expected = status is TicketStatus.Active or TicketStatus.Transferred;

        Assert.Equal(expected, TicketStateMachine.IsAdmissible(status));
        // One rule, written once: the table lets exactly the admissible states check in.
        Assert.Equal(expected, TicketStateMachine.TryMove(status, TicketAction.CheckIn, out var to));
        if (expected) Assert.Equal(TicketStatus.CheckedIn, to);
    }

    [Fact]
    public void Both_activation_paths_exist_directly_and_through_minting()
    {
        Assert.Equal(TicketStatus.Sold, TicketStateMachine.Move(TicketStatus.Reserved, TicketAction.Issue));
        Assert.Equal(TicketStatus.Active, TicketStateMachine.Move(TicketStatus.Sold, TicketAction.Activate));
        Assert.Equal(TicketStatus.Minted, TicketStateMachine.Move(TicketStatus.Sold, TicketAction.Mint));
        Assert.Equal(TicketStatus.Active, TicketStateMachine.Move(TicketStatus.Minted, TicketAction.Activate));
    }

    [Theory]
    [InlineData(TicketStatus.CheckedIn)]
    [InlineData(TicketStatus.Expired)]
    [InlineData(TicketStatus.Refunded)]
    [InlineData(TicketStatus.Revoked)]
    public void Final_states_have_no_way_out(TicketStatus final) =>
        Assert.DoesNotContain(TicketStateMachine.Transitions.Keys, k => k.From == final);

    [Theory]
    [InlineData(TicketStatus.Available)]
    [InlineData(TicketStatus.Reserved)]
    public void The_ticket_never_goes_back_to_the_inventory_states(TicketStatus inventoryState) =>
        Assert.DoesNotContain(TicketStateMachine.Transitions.Values, to => to == inventoryState);

    [Fact]
    public void Refund_and_revoke_are_privileged()
    {
        Assert.Contains(TicketAction.Refund, TicketStateMachine.Privileged);
        Assert.Contains(TicketAction.Revoke, TicketStateMachine.Privileged);
    }
}
