import NIOCore
import Testing

@testable import Lab

@Suite struct ConstantRateScheduleTests {
    let start = NIODeadline.uptimeNanoseconds(1_000_000_000)

    @Test func packetsAreDueAtExactMultiplesOfTheInterval() throws {
        var schedule = try ConstantRateSchedule(start: start, rate: 1000, duration: .seconds(1))
        #expect(schedule.count == 1000)
        #expect(schedule.takeDue(now: start) == 0..<1)
        #expect(schedule.takeDue(now: start + .microseconds(999)) == 1..<1)
        #expect(schedule.takeDue(now: start + .milliseconds(5)) == 1..<6)
        #expect(schedule.nextDeadline == start + .milliseconds(6))
        #expect(schedule.deadline(of: 999_999) == start + .seconds(999) + .milliseconds(999))
    }

    @Test func aLateSenderCatchesUpInBoundedBurstsAndStopsAtTheCount() throws {
        var schedule = try ConstantRateSchedule(start: start, rate: 10_000, count: 100)
        #expect(schedule.takeDue(now: start + .seconds(1), limit: 32).count == 32)
        #expect(schedule.takeDue(now: start + .seconds(1)).count == 68)
        #expect(schedule.isFinished)
        #expect(schedule.nextDeadline == nil)
        #expect(schedule.takeDue(now: start + .seconds(2)).isEmpty)
    }

    @Test func noDriftOverAMillionPacketsAtAnAwkwardRate() throws {
        let schedule = try ConstantRateSchedule(start: start, rate: 3, count: nil)
        // 3 packets/s: packet 3,000,000 is due exactly 1,000,000 s later.
        #expect(schedule.deadline(of: 3_000_000) == start + .seconds(1_000_000))
    }

    @Test func rejectsNonPositiveRates() {
        #expect(throws: ProbeError.rateNotPositive(0)) { try ConstantRateSchedule(start: start, rate: 0) }
        #expect(throws: ProbeError.rateNotPositive(-1)) { try ConstantRateSchedule(start: start, rate: -1) }
    }
}
