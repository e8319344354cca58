const fs = require("fs");
const path = require("path");

// Read the seed data that sits next to this file.
const notes = JSON.parse(fs.readFileSync(path.join(__dirname, "seed.json"), "utf8"));

module.exports.main = async function main() {
  return {
    statusCode: 200,
    body: JSON.stringify(notes),
  };
};
