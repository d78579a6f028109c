extension DisplayWidth {
    /// `text` cut to at most `width` columns, ending in `…` when anything was cut (a wide
    /// character that would straddle the edge is left out whole).
    public static func truncate(_ text: String, to width: Int) -> String {
        guard of(text) > width else { return text }
        guard width > 1 else { return width == 1 ? "…" : "" }
        var out = ""
        var used = 0
        for character in text {
            let size = of(character)
            if used + size > width - 1 { break }
            out.append(character)
            used += size
        }
        return out + "…"
    }
}
