using TicketFlash.Api;
using TicketFlash.Api.Infrastructure;

// The API as its own process: an Orleans cluster client. (A silo can co-host the same API: `TicketFlash.Silo --api`.)
// Content root = the app folder, so appsettings.json applies whatever directory the process starts in.
var builder = WebApplication.CreateBuilder(new WebApplicationOptions { Args = args, ContentRootPath = AppContext.BaseDirectory });
builder.Configuration.AddEnvironmentVariables("TF_");
builder.AddTicketFlashApi();
builder.AddTicketFlashClusterClient();
builder.Build().UseTicketFlashApi().Run();
