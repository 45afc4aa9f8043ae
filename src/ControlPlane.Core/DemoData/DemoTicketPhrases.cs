namespace ControlPlane.Core.DemoData;

/// <summary>
/// What customers write, per intent. The words are the routing signal, so intents share a little vocabulary
/// (refund, upgrade, login) the way real tickets do.
/// </summary>
internal static class DemoTicketPhrases
{
    public static readonly Dictionary<string, DemoIntentPhrases> ByIntent = new(StringComparer.Ordinal)
    {
        ["billing"] = new(
            [
                "Charged twice for {plan} plan", "Invoice {invoice} has the wrong amount", "Refund request for {amount} charge",
                "Need a copy of invoice {invoice}", "Credit card declined on renewal", "Question about my last invoice",
                "VAT number missing on invoice", "Unexpected charge of {amount}", "Update payment method", "Why was I billed {amount}?",
            ],
            [
                "I was charged {amount} twice {when} for the {plan} plan.",
                "Our invoice {invoice} lists {count} seats, but we only have a handful of users.",
                "Can you please refund the duplicate payment?",
                "The payment keeps failing with my card ending in {card}, although the bank says everything is fine.",
                "Please add our VAT ID to the invoice, finance won't approve it otherwise.",
                "We downgraded last month but the subscription still bills the old price.",
                "I need a receipt for {amount} for our accounting team.",
                "Where can I change the billing email to {email}?",
                "The billing portal shows an outstanding balance of {amount} that we already paid.",
            ]),
        ["technical"] = new(
            [
                "{product} keeps crashing", "Error {code} when opening {area}", "API returns {code}", "Sync not working since {version}",
                "{area} not loading", "Salesforce integration broken", "Timeout errors in {product}", "Bug: export to CSV fails",
                "Webhook deliveries failing", "App freezes on startup",
            ],
            [
                "Since the update to {version}, {product} crashes whenever I open the {area}.",
                "We get \"{code}: request timed out\" on almost every call to the API.",
                "The {area} page just spins and never loads in {browser}.",
                "Our webhook endpoint stopped receiving events {when}.",
                "Steps to reproduce:\n1. Open the {area}\n2. Click export\n3. Nothing happens, console shows {code}.",
                "Cleared cache, tried incognito, same error.",
                "Logs show error code {code} around 10:42 UTC.",
                "This bug is blocking {count} of our users, the integration is down.",
                "The mobile app shows a blank screen after login on {version}.",
            ]),
        ["account"] = new(
            [
                "Can't log in", "Password reset email not arriving", "Locked out of my account", "Please add a new user",
                "Lost my 2FA device", "Change account owner", "SSO login fails", "Delete my account", "Change email address",
                "Admin permissions for a colleague",
            ],
            [
                "I reset my password three times but the link says it has expired.",
                "My account got locked after too many login attempts.",
                "Please transfer ownership of the workspace to {email}.",
                "I lost my phone and can't pass two-factor authentication.",
                "Our SSO login redirects back to the sign-in page.",
                "Can you add {count} more users to our team account?",
                "How do I give a colleague admin permissions?",
                "I want to change the email on my profile to {email}.",
                "Please delete my account and all personal data.",
            ]),
        ["shipping"] = new(
            [
                "Where is my order {order}?", "Package not delivered", "Tracking number {tracking} not working", "Order {order} delayed",
                "Wrong delivery address", "Courier says delivered but nothing arrived", "Shipping cost too high",
                "Change shipping address for order {order}",
            ],
            [
                "My order {order} was supposed to arrive {when} and it still hasn't shipped.",
                "The tracking link for {tracking} shows no updates for 5 days.",
                "{carrier} says the package was delivered, but we never got it.",
                "Can you change the delivery address before it ships?",
                "The parcel seems to be stuck in customs.",
                "We need this delivery before Friday, can you expedite shipping?",
                "Shipping for order {order} was {amount}, that seems way too high.",
            ]),
        ["sales"] = new(
            [
                "Pricing for {count} seats", "Request a demo", "Upgrade to the enterprise plan", "Quote for an annual contract",
                "Discount for nonprofits?", "Trial extension request", "Talk to sales about {product}", "Volume pricing question",
            ],
            [
                "We are evaluating {product} for a team of {count} people and need a quote.",
                "Could we get a demo of the {area} next week?",
                "Is there a discount if we pay annually?",
                "Our trial ends {when}, can you extend it by two weeks?",
                "We'd like to upgrade from {plan} to enterprise, who can I talk to about pricing?",
                "Do you offer education or nonprofit pricing?",
                "Our procurement team needs a formal quote and your security questionnaire.",
            ]),
        ["returns"] = new(
            [
                "Return request for order {order}", "Item arrived damaged", "Wrong item received", "Need an RMA number",
                "Exchange for a different size", "Return label not working", "Refund for returned item",
            ],
            [
                "The item in order {order} arrived damaged, the box was crushed.",
                "I received the wrong item, I ordered the blue one.",
                "Please send me a return label and an RMA number.",
                "I sent the return back {when}, when will I get my refund?",
                "Can I exchange it for a larger size instead?",
                "The return label link gives an error.",
            ]),
    };

    public static readonly string[] GenericSubjects =
        ["Help", "Question", "Urgent!!", "Problem with {product}", "Please help", "Issue", "Re: your last email", "Follow up"];

    public static readonly string[] Greetings = ["Hi,", "Hello team,", "Hi support,", "Dear Support,", "Hey there,", "Hello,"];

    public static readonly string[] Extras =
    [
        "This is pretty urgent for us.", "Please advise.", "I already contacted you about this {when}.",
        "Ticket reference: {reference}", "Account: {email}", "Any update would be appreciated.",
        "Thanks for looking into it, really appreciate it.",
    ];

    public static readonly string[] Closings = ["Thanks", "Thanks in advance!", "Regards,\n{name}", "Best,\n{name}", "Cheers, {name}"];
}
