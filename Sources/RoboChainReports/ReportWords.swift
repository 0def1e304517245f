import RoboChainAnalysis

/// The words the output formats write themselves — labels, notes, headings — in one language.
/// Names and ids stay as the model writes them; an analysis' own words (table titles, finding
/// sentences) come from the analysis, in the language it was asked for.
public struct ReportWords: Sendable {
    public let language: Language

    public init(_ language: Language) { self.language = language }

    private func pick(_ english: String, _ chinese: String) -> String { language.pick(english, chinese) }

    public var modelID: String { pick("Model", "模型") }
    public var scope: String { pick("Scope", "范围") }
    public var date: String { pick("Date", "日期") }
    public var analysis: String { pick("Analysis", "分析") }
    public var options: String { pick("Options", "选项") }
    public var scenario: String { pick("Scenario", "情景") }
    public var summary: String { pick("Summary", "摘要") }
    public var failed: String { pick("Failed", "失败") }
    public var summarySheet: String { pick("Summary", "摘要") }
    public var idSuffix: String { pick("id", "编号") }
    public var yes: String { pick("yes", "是") }
    public var no: String { pick("no", "否") }
    public var noFindings: String { pick("No findings.", "无发现。") }
    public var noRows: String { pick("No rows.", "无数据。") }
    public var nothingPresented: String { pick("No findings, tables or metrics.", "无发现、表格或指标。") }
    public var alsoInResult: String { pick("Also in the result (see --format json): ", "结果中还有（见 --format json）：") }
    public var chainMap: String { pick("Chain map", "产业链图谱") }
    public var mapHelp: String {
        pick("Hover over a component for its details; click it to see its suppliers, findings and candidates.",
            "鼠标悬停查看环节详情；点击查看其供应企业、发现和招商对象。")
    }
    public var segmentFilter: String { pick("Segment", "环节类别") }
    public var allSegments: String { pick("All segments", "全部") }
    public var findFirm: String { pick("Find a firm", "查找企业") }
    public var suppliers: String { pick("Suppliers", "供应企业") }
    public var firm: String { pick("Firm", "企业") }
    public var region: String { pick("Region", "地区") }
    public var product: String { pick("Product", "产品") }
    public var share: String { pick("Share", "份额") }
    public var supplies: String { pick("Supplies", "供应") }
    public var component: String { pick("Component", "环节") }
    public var segment: String { pick("Segment", "类别") }
    public var noSuppliers: String { pick("No supplier in the model.", "模型中无供应企业。") }
    public var inAnalyses: String { pick("In the analyses", "分析结果") }
    public var charts: String { pick("Charts", "图表") }
    public var sources: String { pick("Sources of the facts", "数据来源") }
    public var generated: String { pick("Made by robochain", "由 robochain 生成") }
    public var page: String { pick("Page", "页") }
    public var rowsWord: String { pick("rows", "行") }
    public var previous: String { pick("Previous", "上一页") }
    public var next: String { pick("Next", "下一页") }
    public var contents: String { pick("Contents", "目录") }
    public var legend: String { pick("Legend", "图例") }
    public var mapSimplified: String { pick("The map is simplified:", "图谱已简化：") }
    public var sortHint: String { pick("Click a column heading to sort.", "点击列标题排序。") }
    public var notPrinted: String { pick("rows not printed; see the workbook", "行未打印；完整数据见工作簿") }

    /// `1 finding`, `3 findings` (in Chinese `3 项发现`).
    public func count(_ count: Int, _ english: String, _ chinese: String) -> String {
        language == .zh ? "\(count) \(chinese)" : Wording.count(count, english)
    }

    /// A standard severity in this language (others as written).
    public func severity(_ text: String) -> String {
        guard language == .zh else { return text }
        switch text {
        case "critical": return "严重"
        case "high": return "高"
        case "medium": return "中"
        case "low": return "低"
        case "info": return "提示"
        default: return text
        }
    }
}
