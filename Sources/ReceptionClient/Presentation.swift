import Foundation
import ReceptionProtocol

/// Everything that decides how a result looks to the person at the desk: the property's
/// currency, the daemon's time zone, the language, the terminal's width and whether to colour.
/// (`--json` bypasses all of it and prints the wire.)
public struct Presentation: Sendable {
    /// The currency money members are shown in.
    public var currency: Currency
    /// How times are shown (zone, today, language).
    public var times: TimeDisplay
    /// The most columns a line may take; `nil` for no limit (piped output).
    public var width: Int?
    /// Colour, or none.
    public var palette: Palette

    /// `en` or `zh`.
    public var language: String { times.language }

    /// A presentation.
    public init(currency: Currency = .cny, times: TimeDisplay, width: Int? = nil, palette: Palette = .plain) {
        self.currency = currency
        self.times = times
        self.width = width
        self.palette = palette
    }

    /// The presentation for this process's standard output, from the environment and what
    /// `daemon.hello` published (`currency`, `timeZone`; `nil` when not asked).
    public static func forStandardOutput(
        hello: JSONValue?, language: String, environment: [String: String] = ProcessInfo.processInfo.environment
    ) -> Presentation {
        Presentation(
            currency: hello.map(Currency.published(in:)) ?? .cny,
            times: TimeDisplay(timeZone: TimeDisplay.zone(publishedIn: hello), language: language),
            width: TerminalWidth.resolve(environment: environment, fd: 1),
            palette: Palette.decide(environment: environment, fd: 1))
    }

    /// A word of receptionctl's own in the presentation's language.
    func word(_ english: String, _ chinese: String) -> String { language == "zh" ? chinese : english }
}
