import { describe, expect, it } from "vitest";
import { controllerManagerControllers } from "./versions";

describe("kube-controller-manager's controllers in the testbed", () => {
  it("leaves node IPAM and lifecycle out, and the cloud controllers while the release still has them", () => {
    expect(controllerManagerControllers("1.33.13")).toBe(
      "*,-nodeipam,-nodelifecycle,-service-lb-controller,-cloud-node-lifecycle",
    );
    expect(controllerManagerControllers("1.36.3")).toBe(
      "*,-nodeipam,-nodelifecycle,-service-lb-controller,-cloud-node-lifecycle",
    );
    // 1.37 no longer knows the cloud controllers and refuses to start when told to disable them.
    expect(controllerManagerControllers("1.37.2")).toBe("*,-nodeipam,-nodelifecycle");
  });
});
