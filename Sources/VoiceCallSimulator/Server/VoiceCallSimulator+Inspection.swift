import Foundation
import Hummingbird

extension VoiceCallSimulator {
    /// `GET /_sim/state` (the snapshot), `PUT /_sim/callees/{number}` (a
    /// ``CalleeProfile`` JSON overriding that callee: faults at run time) and
    /// `DELETE /_sim/callees/{number}`.
    func addInspectionRoutes(to router: Router<SimulatorRequestContext>) {
        router.get("/_sim/state") { _, _ in
            WireResponse.json(status: 200, await self.snapshot())
        }
        router.put("/_sim/callees/:number") { request, context in
            let number = context.parameters.get("number") ?? ""
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let profile = try? JSONDecoder().decode(CalleeProfile.self, from: Data(body.readableBytesView)) else {
                return WireResponse.json(status: 400, ["error": "body must be a callee profile (JSON)"])
            }
            await self.setProfile(profile, for: number)
            return WireResponse.json(status: 200, ["callee": number])
        }
        router.delete("/_sim/callees/:number") { _, context in
            let number = context.parameters.get("number") ?? ""
            await self.setProfile(nil, for: number)
            return WireResponse.json(status: 200, ["callee": number])
        }
    }
}
