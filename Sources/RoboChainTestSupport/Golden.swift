import Foundation

/// Golden files: expected output kept under `Tests/<Target>/Golden/`, compared exactly, and
/// re-recorded only when the environment variable `RECORD_GOLDEN=1` is set (like
/// swift-argument-parser's `RECORD_SNAPSHOTS`).
public enum Golden {
    /// Whether this run records golden files instead of comparing.
    public static var isRecording: Bool {
        ProcessInfo.processInfo.environment["RECORD_GOLDEN"] == "1"
    }

    /// Compares `actual` with the golden file `name` beside `testFile`, or records it.
    ///
    /// - Parameters:
    ///   - actual: The text produced.
    ///   - name: The golden file's name, e.g. `validate-guangdong.txt`.
    ///   - testFile: Pass `#filePath`; the file lives in `Golden/` beside it.
    /// - Returns: `nil` when they match (or the file was recorded), else a description of the
    ///   first difference.
    public static func mismatch(_ actual: String, name: String, testFile: String = #filePath) -> String? {
        let directory = URL(fileURLWithPath: testFile).deletingLastPathComponent().appendingPathComponent("Golden")
        let url = directory.appendingPathComponent(name)
        if isRecording {
            try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try? Data(actual.utf8).write(to: url)
            return nil
        }
        guard let data = try? Data(contentsOf: url) else {
            return "no golden file \(url.path); run the tests with RECORD_GOLDEN=1 to record it"
        }
        let expected = String(decoding: data, as: UTF8.self)
        guard expected != actual else { return nil }
        let expectedLines = expected.split(separator: "\n", omittingEmptySubsequences: false)
        let actualLines = actual.split(separator: "\n", omittingEmptySubsequences: false)
        for index in 0..<max(expectedLines.count, actualLines.count) {
            let left = index < expectedLines.count ? String(expectedLines[index]) : "<end>"
            let right = index < actualLines.count ? String(actualLines[index]) : "<end>"
            if left != right {
                return "\(name) differs at line \(index + 1):\n  expected: \(left)\n  actual:   \(right)\n(re-record with RECORD_GOLDEN=1 if the change is intended)"
            }
        }
        return "\(name) differs"
    }
}

/// Temporary directories for tests, removed by the caller with ``remove()``.
public struct TemporaryDirectory: Sendable {
    public let url: URL

    public init(_ prefix: String = "robochain-test") throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    public var path: String { url.path }

    /// Writes a text file (creating directories) and returns its path.
    ///
    /// The file is opened close-on-exec: a process another test starts at that moment must not
    /// inherit the open file, or running it (a plugin script) would fail with "Text file busy".
    @discardableResult
    public func write(_ text: String, to name: String, executable: Bool = false) throws -> String {
        let file = url.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: file.deletingLastPathComponent(), withIntermediateDirectories: true)
        let descriptor = open(file.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, executable ? 0o755 : 0o644)
        guard descriptor >= 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path]) }
        defer { close(descriptor) }
        let bytes = Array(text.utf8)
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress! + offset, bytes.count - offset) }
            guard written > 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: file.path]) }
            offset += written
        }
        if executable { try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path) }
        return file.path
    }

    public func remove() {
        try? FileManager.default.removeItem(at: url)
    }
}
