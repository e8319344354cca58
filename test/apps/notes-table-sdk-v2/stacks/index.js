import NotesStack from "./NotesStack";

export default function main(app) {
  new NotesStack(app, "notes");
}
