@testable import CallSpool
@testable import CallSpoolCore
@testable import CallSpoolPostgres
@testable import CallSpoolSQLite
import Foundation
import Testing

/// The job parser's fast path must give exactly what `JSONSerialization`
/// (``JSONValue/parse(_:)``) gives, and the same errors.
@Suite struct JobJSONParserTests {
    static let documents = [
        #"{"calleeNbr":"+8613900000001","templateParas":["客户1","9:30"],"meta":{"row":1}}"#,
        #"  {"a":[1,-2,3.25,-0,0.5e3,1E-2,true,false,null,{},[]],"b":{"c":{"d":"e"}}}  "#,
        #"{"esc":"q\"b\\s\/n\nt\tu\u00e9\u4e2d\ud83d\ude00","ctl":"\u0001"}"#,
        #"{"big":123456789012345,"bigger":12345678901234567890,"tiny":1e-400,"huge":1e400}"#,
        #"{"dup":1,"dup":2}"#,
        #""just a string""#,
        "42",
        #"{"lone":"\ud800"}"#,
        #"{"cut":"#,
        #"{"a":1,}"#,
        #"{"a":01}"#,
        #"[1 2]"#,
        "{\"raw\":\"tab\there\"}",
        #"{"n":-}"#,
        "",
    ]

    @Test(arguments: documents)
    func sameAsJSONSerialization(text: String) {
        let bytes = Array(text.utf8)
        let fast = Result { try JobJSONParser.parse(bytes) }
        let reference = Result { try JSONValue.parse(Data(bytes)) }
        switch (fast, reference) {
        case (.success(let a), .success(let b)): #expect(a == b, "\(text)")
        case (.failure(let a), .failure(let b)): #expect("\(a)" == "\(b)", "\(text)")
        default: Issue.record("\(text): fast \(fast), JSONSerialization \(reference)")
        }
    }
}
