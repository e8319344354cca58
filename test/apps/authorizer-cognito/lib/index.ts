import * as sst from "@serverless-stack/resources";
import ProfilesStack from "./ProfilesStack";

export default function main(app: sst.App): void {
  new ProfilesStack(app, "profiles");
}
