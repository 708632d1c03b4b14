import Foundation

/// The stored JSON text (``StoredJSON``) of a new job's calling window and
/// redial policy, for both stores' INSERT. Campaign jobs share one window and one policy
/// between thousands of rows, so each distinct value is encoded once.
package struct JobSpecTexts {
    private var windows: [CallingWindow: String] = [:]
    private var redials: [RedialPolicy: String] = [:]
    package init() {}

    package mutating func window(of spec: JobSpec) -> String? {
        guard let value = spec.window else { return nil }
        if let text = windows[value] { return text }
        let text = value.storedJSON
        windows[value] = text
        return text
    }

    package mutating func redial(of spec: JobSpec) -> String? {
        guard let value = spec.redial else { return nil }
        if let text = redials[value] { return text }
        let text = value.storedJSON
        redials[value] = text
        return text
    }
}
