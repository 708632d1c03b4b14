extension InspectionLog {
    /// Starts an idle record for each configured application, so a snapshot
    /// lists every one of them even before its first request.
    mutating func register(_ configured: [SimulatorApplication.Resolved]) {
        for application in configured {
            applications[application.appKey] = SimulatorSnapshot.ApplicationRecord(
                configured: true, capabilities: application.capabilities.map(\.rawValue).sorted(),
                portLimit: application.ports, portsInUse: 0, peakPorts: 0, acceptedCalls: 0, completedCalls: 0,
                rejections: [:])
        }
    }

    /// Counts a refusal under the appKey the request claimed; an unknown key
    /// gets a record of its own while there is room for one.
    mutating func countRejection(_ key: String, appKey: String) {
        if applications[appKey] == nil {
            guard unknownApplications < Self.maxUnknownApplications else {
                droppedEntries += 1
                return
            }
            unknownApplications += 1
            applications[appKey] = SimulatorSnapshot.ApplicationRecord(
                configured: false, capabilities: [], portLimit: nil, portsInUse: 0, peakPorts: 0, acceptedCalls: 0,
                completedCalls: 0, rejections: [:])
        }
        applications[appKey]?.rejections[key, default: 0] += 1
    }

    /// An accepted call of `appKey`, now holding `portsInUse` of its ports.
    mutating func countAccepted(appKey: String, portsInUse: Int) {
        applications[appKey]?.acceptedCalls += 1
        if let peak = applications[appKey]?.peakPorts, portsInUse > peak {
            applications[appKey]?.peakPorts = portsInUse
        }
    }

    mutating func countCompleted(appKey: String) {
        applications[appKey]?.completedCalls += 1
    }
}
