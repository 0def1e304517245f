import Foundation
import RoboChainTestSupport
import Testing

/// File names that are not UTF-8 (issue #16, item 14): Swift's `CommandLine.arguments` turned
/// byte 0xFF into U+FFFD, so such a model could not be opened nor such an output written.
/// The names are made and checked by `sh` (`printf '\377'`), as a user's shell would pass them.
@Suite struct ByteNameTests {
    /// Runs `script` with `sh` in a new directory holding a copy of the Guangdong model named
    /// `model<0xFF>.yaml`; `$R` is robochain.
    func run(_ script: String) throws -> CommandResult {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let model = CommandRunner.packageDirectory.appendingPathComponent("Models/guangdong-robots.yaml").path
        let setup = #"cd "$1" && R="$2" && cp "$3" "$(printf 'model\377.yaml')" && "#
        return try CommandRunner.run("/bin/sh", ["-c", setup + script, "sh", directory.path, CommandRunner.product("robochain"), model])
    }

    @Test func aModelNamedWithByteFFValidates() throws {
        let result = try run(#""$R" validate "$(printf 'model\377.yaml')""#)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(result.standardOutput.hasPrefix("model\\xFF.yaml: valid YAML model (guangdong-robots"))
    }

    @Test func anOutputNamedWithByteFEIsWritten() throws {
        let result = try run(#"""
            "$R" analyze "$(printf 'model\377.yaml')" --with gap-detection --format json --output "$(printf 'out\376.json')" \
              && head -c 1 "$(printf 'out\376.json')" && echo && ls | LC_ALL=C sort | od -An -tx1 | tr -d ' \n'
            """#)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        // The output is a JSON object; the directory holds exactly model\xFF.yaml and out\xFE.json.
        #expect(result.standardOutput == "{\n" + "6d6f64656cff2e79616d6c0a" + "6f7574fe2e6a736f6e0a")
    }

    @Test func aWorkbookNamedWithByteFEIsWrittenAndRead() throws {
        // ZIPFoundation opens workbooks by URL: such a name reaches it as /proc/self/fd/N.
        let result = try run(#""$R" convert "$(printf 'model\377.yaml')" --output "$(printf 'book\376.xlsx')" && "$R" validate "$(printf 'book\376.xlsx')""#)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains("book\\xFE.xlsx: valid"), "\(result.standardOutput)")
    }

    @Test func theModelNamedWithByteFFIsRefusedAsTheOutput() throws {
        // The model must survive: the check that --output is not the model compares by inode.
        let result = try run(#""$R" analyze "$(printf 'model\377.yaml')" --with gap-detection --format json --output "$(printf 'model\377.yaml')"; echo "status $?"; head -c 1 "$(printf 'model\377.yaml')""#)
        #expect(result.standardOutput == "status 64\n#", "\(result.standardError)")
        #expect(result.standardError.hasPrefix("Error: --output 'model\\xFF.yaml' is a file of the model 'model\\xFF.yaml'"), "\(result.standardError)")
    }

    @Test func theArgumentParsersMessagesShowTheByteToo() throws {
        let extra = try run(#""$R" validate "$(printf 'model\377.yaml')" "$(printf 'b\377')""#)
        #expect(extra.exitStatus == 64)
        #expect(extra.standardError.hasPrefix("Error: Unexpected argument 'b\\xFF'\n"), "\(extra.standardError)")
        let format = try run(#""$R" analyze "$(printf 'model\377.yaml')" --format "$(printf 'sv\377')""#)
        #expect(format.exitStatus == 64)
        #expect(format.standardError.hasPrefix("Error: The value 'sv\\xFF' is invalid for '--format <format>'"), "\(format.standardError)")
    }

    @Test func aMissingModelNamedWithByteFFIsNamedInTheMessage() throws {
        let result = try run(#""$R" validate "$(printf 'missing\377.yaml')""#)
        #expect(result.exitStatus == 66)
        #expect(result.standardError == "error: cannot read model 'missing\\xFF.yaml': No such file or directory\n")
    }

    @Test func anUnwritableOutputNamedWithByteFDIsNamedInTheMessage() throws {
        let result = try run(#""$R" analyze "$(printf 'model\377.yaml')" --with gap-detection --output "$(printf 'no\375/out.json')""#)
        #expect(result.exitStatus != 0)
        #expect(result.standardError.contains("cannot write 'no\\xFD/out.json': directory 'no\\xFD' does not exist"))
    }
}

extension ByteNameTests {
    /// A plugin in a directory named with byte 0xFF (found by listing a directory of
    /// `ROBOCHAIN_PLUGIN_PATH`) runs; a broken one there is named in the warning.
    @Test func aPluginInADirectoryNamedWithByteFFRuns() throws {
        let result = try run(#"""
            mkdir -p "plugins/$(printf 'by\377tes')" "plugins/$(printf 'bro\376ken')" && cd plugins \
              && printf '{"name": "bytes", "version": "0.1.0", "protocol": 1, "executable": "run", "description": "d"}' > "$(printf 'by\377tes')/plugin.json" \
              && printf '#!/bin/sh\ncat >/dev/null\necho %s\n' "'{\"protocol\": 1, \"analysis\": \"bytes\"}'" > "$(printf 'by\377tes')/run" \
              && chmod +x "$(printf 'by\377tes')/run" && echo '{' > "$(printf 'bro\376ken')/plugin.json" && cd .. \
              && ROBOCHAIN_PLUGIN_PATH="$PWD/plugins" "$R" analyze "$(printf 'model\377.yaml')" --with bytes --format json
            """#)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        #expect(result.standardOutput.contains(#""analysis": "bytes""#))
        #expect(result.standardError.contains(#"/plugins/bro\xFEken' skipped: "#), "\(result.standardError)")
    }

    /// `plugins install` copies a plugin from a directory named with byte 0xFF (and a file in
    /// it named with byte 0xFE) byte for byte.
    @Test func aPluginInADirectoryNamedWithByteFFInstalls() throws {
        let result = try run(#"""
            mkdir "$(printf 'by\377tes')" && cd "$(printf 'by\377tes')" \
              && printf '{"name": "bytes", "version": "0.1.0", "protocol": 1, "executable": "run", "description": "d"}' > plugin.json \
              && printf '#!/bin/sh\ncat >/dev/null\necho %s\n' "'{\"protocol\": 1, \"analysis\": \"bytes\"}'" > run \
              && chmod +x run && echo x > "$(printf 'data\376')" && cd .. \
              && HOME="$PWD/home" "$R" plugins install "$(printf 'by\377tes')" >/dev/null \
              && ls home/.robochain/plugins/bytes | LC_ALL=C sort | od -An -tx1 | tr -d ' \n'
            """#)
        #expect(result.exitStatus == 0, "\(result.standardError)")
        // data\xFE, plugin.json, run
        #expect(result.standardOutput == "64617461fe0a" + "706c7567696e2e6a736f6e0a" + "72756e0a")
    }
}
