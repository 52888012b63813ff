using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using TicketFlash.Grains.Payments;
using TicketFlash.Silo.Hosting;

namespace TicketFlash.Grains.Tests.Payments;

public sealed class StripePaymentGatewayTests
{
    private static readonly StripePaymentGateway Gateway = new(new StripeOptions { SecretKey = "sk_test_unit", ApiBase = "http://127.0.0.1:9" });

    [Theory]
    [InlineData(40.00, "EUR", 4000)]
    [InlineData(12.34, "usd", 1234)]
    [InlineData(5000, "JPY", 5000)] // zero-decimal: yen are not divided into cents
    [InlineData(15000, "krw", 15000)]
    [InlineData(1.234, "KWD", 1230)] // three-decimal: thousandths, but Stripe wants the last digit 0
    public void Amounts_are_in_the_currencys_minor_units_as_Stripe_counts_them(decimal amount, string currency, long minor) =>
        Assert.Equal(minor, Gateway.ToMinor(amount, currency));

    [Fact]
    public void Stripe_without_a_secret_key_fails_at_start_up_not_at_the_first_payment()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Payments:Gateway"] = "Stripe" }).Build();
        var error = Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddTicketFlashServices(config));
        Assert.Contains("Payments:Stripe:SecretKey", error.Message);
    }

    [Fact]
    public void The_simulated_gateway_stays_the_default_and_an_unknown_one_is_refused()
    {
        var services = new ServiceCollection().AddTicketFlashServices(new ConfigurationBuilder().Build());
        Assert.Contains(services, d => d.ServiceType == typeof(IPaymentGateway) && d.ImplementationType == typeof(SimulatedPaymentGateway));
        var unknown = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Payments:Gateway"] = "Paypal" }).Build();
        Assert.Throws<InvalidOperationException>(() => new ServiceCollection().AddTicketFlashServices(unknown));
    }

    [Fact]
    public async Task With_Stripe_the_gateway_is_the_intent_gateway_and_never_charges_in_one_call()
    {
        var config = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Payments:Gateway"] = "Stripe", ["Payments:Stripe:SecretKey"] = "sk_test_unit", ["Keys:MasterKey"] = null,
        }).Build();
        var gateway = new ServiceCollection().AddTicketFlashServices(config).BuildServiceProvider().GetRequiredService<IPaymentGateway>();
        Assert.IsType<StripePaymentGateway>(gateway);
        await Assert.ThrowsAsync<NotSupportedException>(() => gateway.ChargeAsync("k", 1m, "EUR"));
    }
}
