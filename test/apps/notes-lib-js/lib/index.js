import NotesStack from "./NotesStack";

export default function main(app) {
  // Set default runtime for all functions
  app.setDefaultFunctionProps({
    runtime: "nodejs12.x",
  });

  new NotesStack(app, "notes");

  // Add more stacks
}
