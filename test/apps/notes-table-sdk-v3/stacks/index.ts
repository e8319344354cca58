import type * as sst from "@serverless-stack/resources";
import NotesStack from "./NotesStack";

export default function main(app: sst.App): void {
  new NotesStack(app, "notes");
}
