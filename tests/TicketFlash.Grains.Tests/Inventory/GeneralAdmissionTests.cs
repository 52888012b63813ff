using TicketFlash.Abstractions.Common;
using TicketFlash.Grains.Tests.Infrastructure;

namespace TicketFlash.Grains.Tests.Inventory;

[Collection(ClusterCollection.Name)]
public sealed class GeneralAdmissionTests(ClusterFixture cluster)
{
    private static readonly SaleSpec Pit = new() { Sections = [Sections.GeneralAdmission("pit", 100)] };

    [Fact]
    public async Task A_new_section_has_its_whole_capacity_available()
    {
        var sale = await cluster.CreateSale(Pit);

        var availability = await sale.Availability();

        Assert.Equal(("pit", 100, 100, 0, 0), (availability.SectionId, availability.Capacity, availability.Available, availability.Held, availability.Sold));
    }

    [Fact]
    public async Task Counts_follow_holds_sales_and_cancellations()
    {
        var sale = await cluster.CreateSale(Pit);
        var fan = Actors.Fan();

        var held = await sale.Place(fan, 5);
        Assert.Empty(held.Seats); // general admission has no seat ids
        await sale.Buy(fan, 3);
        var cancelled = await sale.Place(fan, 2);
        await sale.Order(cancelled.OrderId).Cancel(fan);

        var availability = await sale.Availability();
        Assert.Equal((100, 92, 5, 3), (availability.Capacity, availability.Available, availability.Held, availability.Sold));
    }

    [Fact]
    public async Task Seat_ids_are_refused_in_a_general_admission_section()
    {
        var sale = await cluster.CreateSale(Pit);

        await DomainAssert.Refuses(DomainErrorCode.Validation, () => sale.Place(Actors.Fan(), 1, "pit", "A-1"));
        Assert.Equal(0, (await sale.Availability()).Held);
    }

    [Fact]
    public async Task More_than_is_left_is_refused_and_nothing_left_is_sold_out()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Sections = [Sections.GeneralAdmission("pit", 6)] });
        await sale.Buy(Actors.Fan(), 4);

        await DomainAssert.Refuses(DomainErrorCode.SeatsUnavailable, () => sale.Place(Actors.Fan(), 3));
        await sale.Place(Actors.Fan(), 2);
        await DomainAssert.Refuses(DomainErrorCode.SoldOut, () => sale.Place(Actors.Fan(), 1));

        var availability = await sale.Availability();
        Assert.Equal((6, 0, 2, 4), (availability.Capacity, availability.Available, availability.Held, availability.Sold));
    }

    [Fact]
    public async Task Best_available_across_sections_moves_on_when_one_section_is_full()
    {
        var sale = await cluster.CreateSale(new SaleSpec { Sections = [Sections.GeneralAdmission("left", 3), Sections.GeneralAdmission("right", 3)] });

        var sections = new List<string>();
        for (var i = 0; i < 6; i++) sections.Add((await sale.Place(Actors.Fan(), 1)).SectionId);

        Assert.Equal(3, sections.Count(s => s == "left"));
        Assert.Equal(3, sections.Count(s => s == "right"));
        await DomainAssert.Refuses(DomainErrorCode.SoldOut, () => sale.Place(Actors.Fan(), 1));
    }
}
