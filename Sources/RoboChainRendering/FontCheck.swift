#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Whether fontconfig knows a font for Chinese, so that PNG and PDF maps show glyphs, not boxes.
///
/// Graphviz draws PNG and PDF text with Pango, which finds fonts through fontconfig. This asks
/// fontconfig the question `fc-list :lang=zh` asks, through the library Graphviz already loads
/// (opened with `dlopen`, so building needs no fontconfig headers and a missing library is an
/// answer, not a link error).
public enum FontCheck {
    /// The Debian/Ubuntu package that provides a Chinese font.
    public static let chineseFontPackage = "fonts-wqy-microhei"

    /// The warning to print when no Chinese font is installed.
    public static var missingChineseFontWarning: String {
        "no font for Chinese is installed (fontconfig lists none for ':lang=zh'), so Chinese text on the map will "
            + "show as empty boxes; install one, e.g. 'sudo apt-get install \(chineseFontPackage)' (or fonts-noto-cjk)"
    }

    /// Whether fontconfig lists a font covering Chinese (`:lang=zh`).
    ///
    /// - Returns: `true` or `false`, or `nil` when fontconfig cannot be loaded or initialised.
    public static func hasChineseFont() -> Bool? {
        countFonts(matching: ":lang=zh").map { $0 > 0 }
    }

    private typealias InitFunction = @convention(c) () -> Int32
    private typealias NameParseFunction = @convention(c) (UnsafePointer<UInt8>) -> OpaquePointer?
    private typealias ObjectSetCreateFunction = @convention(c) () -> OpaquePointer?
    private typealias ObjectSetAddFunction = @convention(c) (OpaquePointer, UnsafePointer<CChar>) -> Int32
    private typealias FontListFunction = @convention(c) (OpaquePointer?, OpaquePointer, OpaquePointer) -> UnsafeMutableRawPointer?
    private typealias DestroyFunction = @convention(c) (OpaquePointer) -> Void
    private typealias FontSetDestroyFunction = @convention(c) (UnsafeMutableRawPointer) -> Void

    /// The number of fonts fontconfig lists for a pattern such as `:lang=zh`.
    static func countFonts(matching pattern: String) -> Int? {
        let names = ["libfontconfig.so.1", "libfontconfig.so", "libfontconfig.1.dylib", "/opt/homebrew/lib/libfontconfig.1.dylib",
            "/usr/local/lib/libfontconfig.1.dylib"]
        guard let library = names.lazy.compactMap({ dlopen($0, RTLD_NOW | RTLD_LOCAL) }).first else { return nil }
        // Not closed: Graphviz's text layout uses the same library, and fontconfig keeps state.
        func load<T>(_ name: String, as type: T.Type) -> T? {
            dlsym(library, name).map { unsafeBitCast($0, to: type) }
        }
        guard let initialise = load("FcInit", as: InitFunction.self),
            let parse = load("FcNameParse", as: NameParseFunction.self),
            let createObjectSet = load("FcObjectSetCreate", as: ObjectSetCreateFunction.self),
            let addObject = load("FcObjectSetAdd", as: ObjectSetAddFunction.self),
            let listFonts = load("FcFontList", as: FontListFunction.self),
            let destroyPattern = load("FcPatternDestroy", as: DestroyFunction.self),
            let destroyObjectSet = load("FcObjectSetDestroy", as: DestroyFunction.self),
            let destroyFontSet = load("FcFontSetDestroy", as: FontSetDestroyFunction.self)
        else { return nil }
        guard initialise() != 0 else { return nil }
        guard let parsed = pattern.withCString({ $0.withMemoryRebound(to: UInt8.self, capacity: pattern.utf8.count + 1) { parse($0) } })
        else { return nil }
        defer { destroyPattern(parsed) }
        guard let objects = createObjectSet() else { return nil }
        defer { destroyObjectSet(objects) }
        _ = addObject(objects, "family")
        guard let fonts = listFonts(nil, parsed, objects) else { return nil }
        defer { destroyFontSet(fonts) }
        // FcFontSet begins with `int nfont`.
        return Int(fonts.load(as: Int32.self))
    }
}
